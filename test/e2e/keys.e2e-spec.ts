import { createPrivateKey, createPublicKey } from 'node:crypto';
import request from 'supertest';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { ClientEntity } from '../../src/clients/client.entity.js';
import { KeyEncryption } from '../../src/common/crypto/key-encryption.js';
import { AccessTokenService } from '../../src/tokens/access-tokens/access-token.service.js';
import { KeysService } from '../../src/keys/keys.service.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { fetchJwks } from '../support/jwks.js';
import { startInstancesSharingDatabase } from '../support/shared-database-apps.js';

const ISSUER = 'http://127.0.0.1:3000';
const RESOURCE = 'https://api.example.com';
const DAY = 86_400_000;

interface KeyRow {
  kid: string;
  generation: number;
  alg: string;
  public_jwk: string;
  private_key_encrypted: string;
  activates_at: string | number;
  retires_at: string | number | null;
  expires_at: string | number | null;
}
interface AdminKey {
  kid: string;
  state: string;
  generation: number;
  companion: boolean;
  activates_at: string;
  retires_at: string | null;
  expires_at: string | null;
  public_jwk: Record<string, unknown>;
}

const client = Object.assign(new ClientEntity(), {
  clientId: 'c1',
  accessTokenTtl: null,
  accessTokenFormat: 'jwt',
});
const issue = (app: { get: TestApp['publicApp']['get'] }) =>
  app.get(AccessTokenService).issue(client, { sub: 'owner', scope: 'read', audience: RESOURCE });
const kidOf = (token: string) => decodeProtectedHeader(token).kid;
/** The primary (access-token) keys; each generation also has an RS256 companion for ID tokens. */
const rows = (app: TestApp) =>
  app.shared.dataSource.query<KeyRow[]>(
    'SELECT * FROM signing_keys WHERE companion = false ORDER BY generation',
  );
const primary = (keys: AdminKey[]) => keys.filter((k) => !k.companion);

async function until(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('signing keys and JWKS', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ KEY_PUBLISH_LEAD_TIME: '5' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-AT-12: /jwks publishes the first key (kid, alg, use sig, public members only) with cache headers', async () => {
    const res = await request(app.publicServer).get('/jwks').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/jwk-set\+json/);
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const { keys } = res.body as { keys: Record<string, unknown>[] };
    // R-OIDC-3: the ES256 key and its generation's RS256 companion (ID tokens).
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[1]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(typeof keys[0]?.kid).toBe('string');
    for (const key of keys) {
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
        expect(key).not.toHaveProperty(member);
      }
    }
  });

  it('R-SEC-9: the private key is stored encrypted (AES-256-GCM under KEY_ENCRYPTION_SECRET), never in plaintext', async () => {
    const [row] = await rows(app);
    expect(row).toBeDefined();
    const jwk = JSON.parse(row!.public_jwk) as Record<string, unknown>;
    expect(jwk).not.toHaveProperty('d');
    expect(row!.private_key_encrypted).toMatch(/^v1\./);
    expect(row!.private_key_encrypted).not.toMatch(/PRIVATE KEY|"d"/);
    // It decrypts to the private key of the published public key, only with the right secret.
    const der = new KeyEncryption('test-key-encryption-secret-0123456789abcdef').decrypt(
      row!.private_key_encrypted,
      row!.kid,
    );
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    const privateJwk = privateKey.export({ format: 'jwk' });
    expect(JSON.stringify(row)).not.toContain(String(privateJwk.d));
    expect(JSON.stringify(row)).not.toContain(der.toString('base64'));
    const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
    expect(publicJwk).toMatchObject({ x: jwk.x, y: jwk.y });
    expect(() =>
      new KeyEncryption('another-secret-0123456789abcdef-0123').decrypt(row!.private_key_encrypted, row!.kid),
    ).toThrow();
  });

  it('admin keys: 401 without the admin token, 404 on the public listener', async () => {
    await request(app.adminServer).get('/admin/keys').expect(401);
    await request(app.adminServer).post('/admin/keys/rotate').expect(401);
    await request(app.adminServer).get('/admin/keys').set('Authorization', 'Bearer wrong').expect(401);
    await request(app.publicServer).get('/admin/keys').expect(404);
    await request(app.publicServer).post('/admin/keys/rotate').expect(404);
  });

  it('R-AT-12, R-SEC-9: rotation publishes the next key before it signs; tokens signed before still verify against /jwks', async () => {
    const before = await issue(app.publicApp);
    const firstKid = kidOf(before.token);
    const listed = await request(app.adminServer)
      .get('/admin/keys')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .expect(200);
    expect(primary((listed.body as { keys: AdminKey[] }).keys)).toEqual([
      expect.objectContaining({ kid: firstKid, state: 'active', generation: 1, retires_at: null }),
    ]);

    const rotated = await request(app.adminServer)
      .post('/admin/keys/rotate')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .expect(201);
    const next = rotated.body as AdminKey;
    expect(next).toMatchObject({ state: 'pending', generation: 2 });
    expect(next.kid).not.toBe(firstKid);
    expect(next.public_jwk).not.toHaveProperty('d');
    const activatesAt = Date.parse(next.activates_at);
    expect(activatesAt).toBeGreaterThan(Date.now());

    // Published at once on the public listener (pub/sub 'keys:changed')...
    await until(async () => (await fetchJwks(app.publicServer)).set.keys.some((k) => k.kid === next.kid));
    // ... while the previous key still signs.
    const during = await issue(app.publicApp);
    expect(Date.now()).toBeLessThan(activatesAt);
    expect(kidOf(during.token)).toBe(firstKid);

    const states = await request(app.adminServer)
      .get('/admin/keys')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .expect(200);
    const [newest, previous] = primary((states.body as { keys: AdminKey[] }).keys);
    expect(newest).toMatchObject({ kid: next.kid, state: 'pending' });
    expect(previous).toMatchObject({ kid: firstKid, state: 'active', retires_at: next.activates_at });
    // Retired keys stay published until every token they signed has expired.
    expect(Date.parse(previous!.expires_at!)).toBeGreaterThanOrEqual(activatesAt + DAY);

    await new Promise((r) => setTimeout(r, activatesAt - Date.now() + 50));
    const after = await issue(app.publicApp);
    expect(kidOf(after.token)).toBe(next.kid);

    const { set, getKey } = await fetchJwks(app.publicServer);
    expect(
      set.keys
        .filter((k) => k.kty === 'EC')
        .map((k) => k.kid)
        .sort(),
    ).toEqual([firstKid, next.kid].sort());
    expect(set.keys.filter((k) => k.kty === 'RSA')).toHaveLength(2);
    for (const token of [before.token, during.token, after.token]) {
      const { payload } = await jwtVerify(token, getKey, {
        issuer: ISSUER,
        audience: RESOURCE,
        typ: 'at+jwt',
      });
      expect(payload.client_id).toBe('c1');
      expect(await app.publicApp.get(AccessTokenService).inspect(token)).not.toBeNull();
    }
    const final = await request(app.adminServer)
      .get('/admin/keys')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .expect(200);
    const finalKeys = (final.body as { keys: AdminKey[] }).keys;
    expect(primary(finalKeys).map((k) => k.state)).toEqual(['active', 'retired']);
    // The RS256 companions follow their generation's lifecycle.
    expect(finalKeys.filter((k) => k.companion).map((k) => [k.generation, k.state])).toEqual([
      [2, 'active'],
      [1, 'retired'],
    ]);
  });

  it('R-AT-12: automatic rotation creates the next key one lead time before the interval ends, once', async () => {
    const keys = app.publicApp.get(KeysService);
    const newest = (await rows(app)).at(-1)!;
    const due = new Date(Number(newest.activates_at) + 30 * DAY - 5000);
    await keys.rotateIfDue(new Date(due.getTime() - 60_000));
    expect(await rows(app)).toHaveLength(2);
    await keys.rotateIfDue(due);
    await keys.rotateIfDue(due);
    const after = await rows(app);
    expect(after).toHaveLength(3);
    expect(Number(after[2]!.activates_at)).toBe(due.getTime() + 5000);
    expect(Number(after[1]!.retires_at)).toBe(due.getTime() + 5000);
    expect((await fetchJwks(app.publicServer)).set.keys.map((k) => k.kid)).toContain(after[2]!.kid);
  });
});

describe('signing keys with several instances sharing one database', () => {
  it('R-SEC-9: concurrent instances create one first key and one successor, never competing active keys', async () => {
    const cluster = await startInstancesSharingDatabase(3);
    try {
      const [a] = cluster.instances;
      const keyRows = () =>
        a!.shared.dataSource.query<KeyRow[]>(
          'SELECT * FROM signing_keys WHERE companion = false ORDER BY generation',
        );
      expect(await keyRows()).toHaveLength(1);
      const kids = await Promise.all(
        cluster.instances.map(async (i) => kidOf((await issue(i.publicApp)).token)),
      );
      expect(new Set(kids).size).toBe(1);

      // Every instance finds rotation due at the same moment: exactly one successor is created.
      const due = new Date(Date.now() + 31 * DAY);
      await Promise.all(cluster.instances.map((i) => i.publicApp.get(KeysService).rotateIfDue(due)));
      const after = await keyRows();
      expect(after.map((r) => r.generation)).toEqual([1, 2]);
      // One RS256 companion per generation, whatever the number of instances.
      const companions = await a!.shared.dataSource.query<KeyRow[]>(
        'SELECT * FROM signing_keys WHERE companion = true ORDER BY generation',
      );
      expect(companions.map((r) => [r.generation, r.alg])).toEqual([
        [1, 'RS256'],
        [2, 'RS256'],
      ]);
      await Promise.all(cluster.instances.map((i) => i.publicApp.get(KeysService).reload()));
      const signers = cluster.instances.map(
        (i) => i.publicApp.get(KeysService).signer(due.getTime() + 86_400_000 + 1000).kid,
      );
      expect(signers).toEqual([after[1]!.kid, after[1]!.kid, after[1]!.kid]);
    } finally {
      await cluster.close();
    }
  });

  it('R-SEC-9: an instance with another KEY_ENCRYPTION_SECRET refuses to start instead of signing with a new key', async () => {
    const cluster = await startInstancesSharingDatabase(1);
    try {
      await expect(
        cluster.startAnother({ KEY_ENCRYPTION_SECRET: 'a-different-secret-0123456789abcdef-xyz' }),
      ).rejects.toThrow(/KEY_ENCRYPTION_SECRET differs/);
      const [row] = await cluster.instances[0]!.shared.dataSource.query<KeyRow[]>(
        'SELECT * FROM signing_keys',
      );
      expect(row?.generation).toBe(1);
    } finally {
      await cluster.close();
    }
  });
});
