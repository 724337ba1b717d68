import { runCli } from '../../src/cli/run-cli.js';
import { isolatedDatabase, usingPostgres, type IsolatedDatabase } from '../support/test-env.js';

/**
 * Issue #17 item 8: the admin CLI (`npx tessera …`, bin src/cli/main.ts → runCli) against the
 * suite's storage mode: SQLite + in-process store, or PostgreSQL (a schema of its own) + Redis.
 */
describe('#17.8 tessera CLI', () => {
  let db: IsolatedDatabase;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    db = await isolatedDatabase();
    const url = db.schema
      ? `${db.url}${db.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${db.schema}`)}`
      : db.url;
    env = {
      DATABASE_URL: url,
      KEY_ENCRYPTION_SECRET: 'cli-test-key-encryption-secret-0123456789',
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    };
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function cli(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
    let out = '';
    let err = '';
    const code = await runCli(args, {
      env: options.env ?? env,
      out: (t) => (out += t),
      err: (t) => (err += t),
      stdin: () => Promise.resolve(options.stdin ?? ''),
    });
    return { code, out, err, json: () => JSON.parse(out) as Record<string, unknown> };
  }

  it('migrate applies every migration once, quietly (no SQL), then reports nothing to do', async () => {
    const first = await cli(['migrate', '--json']);
    expect(first.code).toBe(0);
    expect((first.json().applied as string[]).length).toBeGreaterThan(5);
    expect(first.out + first.err).not.toMatch(/CREATE TABLE|query:/i);
    const second = await cli(['migrate', '--json']);
    expect(second.json()).toEqual({ applied: [] });
  }, 60_000);

  it('clients create, list and rotate-secret go through the admin rules; the secret is shown once', async () => {
    const created = await cli(
      [
        'clients',
        'create',
        '--name',
        'CLI service',
        '--grant-type',
        'client_credentials',
        '--scope',
        'openid',
        '--json',
      ],
      { env: { ...env, SCOPES: 'openid=OpenID' } },
    );
    expect(created.code).toBe(0);
    const client = created.json();
    expect(client).toMatchObject({ client_name: 'CLI service', grant_types: ['client_credentials'] });
    expect(typeof client.client_secret).toBe('string');
    const listed = await cli(['clients', 'list', '--json']);
    const items = listed.json().items as Record<string, unknown>[];
    expect(items.map((c) => c.client_id)).toContain(client.client_id);
    expect(items.every((c) => c.client_secret === undefined)).toBe(true);
    const rotated = await cli(['clients', 'rotate-secret', String(client.client_id), '--json']);
    expect(rotated.code).toBe(0);
    expect(rotated.json().client_secret).toEqual(expect.any(String));
    expect(rotated.json().client_secret).not.toBe(client.client_secret);
  }, 90_000);

  it('R-AUTHZ: an implicit grant is refused with the API message and exit 2; an unknown client exits 2', async () => {
    const bad = await cli(['clients', 'create', '--name', 'x', '--grant-type', 'implicit']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('grant_types');
    const missing = await cli(['clients', 'rotate-secret', 'no-such-client']);
    expect(missing.code).toBe(2);
    const unknownOption = await cli(['clients', 'list', '--bogus']);
    expect(unknownOption.code).toBe(2);
  }, 60_000);

  it('owners create (password on stdin only) and owners disable', async () => {
    const refused = await cli(['owners', 'create', '--username', 'bob']);
    expect(refused.code).toBe(2);
    const created = await cli(['owners', 'create', '--username', 'bob', '--password-stdin', '--json'], {
      stdin: 'correct-horse-battery-staple\n',
    });
    expect(created.code).toBe(0);
    const owner = created.json();
    expect(owner).toMatchObject({ username: 'bob', disabled: false });
    expect(JSON.stringify(owner)).not.toContain('correct-horse');
    const disabled = await cli(['owners', 'disable', String(owner.id), '--json']);
    expect(disabled.json()).toMatchObject({ id: owner.id, disabled: true });
  }, 60_000);

  it('keys rotate creates a pending key; admin-token reset shows a new token, refused when ADMIN_TOKEN is set', async () => {
    const rotated = await cli(['keys', 'rotate', '--json']);
    expect(rotated.code).toBe(0);
    expect(rotated.json()).toMatchObject({ kid: expect.any(String), state: 'pending' });
    const reset = await cli(['admin-token', 'reset', '--json']);
    expect(reset.code).toBe(0);
    expect(String(reset.json().admin_token).length).toBeGreaterThanOrEqual(32);
    const refused = await cli(['admin-token', 'reset'], {
      env: { ...env, ADMIN_TOKEN: 'an-admin-token-set-in-the-environment-0123' },
    });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('ADMIN_TOKEN');
  }, 60_000);

  it('a different KEY_ENCRYPTION_SECRET exits 5 naming it', async () => {
    const wrong = await cli(['keys', 'rotate'], {
      env: { ...env, KEY_ENCRYPTION_SECRET: 'another-secret-0123456789abcdef0123456789' },
    });
    expect(wrong.code).toBe(5);
    expect(wrong.err).toContain('KEY_ENCRYPTION_SECRET');
  }, 60_000);

  it(`runs on ${usingPostgres() ? 'PostgreSQL' : 'SQLite'}; unknown commands print the help and exit 2`, async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('tessera clients create');
  });
});
