import request from 'supertest';
import { hashSecret } from '../../src/common/crypto/secret-hash.js';
import { InitialAccessTokenEntity } from '../../src/registration/initial-access-token.entity.js';
import { InitialAccessTokensService } from '../../src/registration/initial-access-tokens.service.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

const registration = { redirect_uris: ['https://app.example.com/cb'], client_name: 'dyn' };

describe('admin API: initial access tokens', () => {
  let app: TestApp;
  const admin = () => ({ Authorization: `Bearer ${app.adminToken}` });
  const issue = (body: object = {}) =>
    request(app.adminServer).post('/admin/initial-access-tokens').set(admin()).send(body);
  const register = (token: string) =>
    request(app.publicServer).post('/register').set('Authorization', `Bearer ${token}`).send(registration);

  beforeAll(async () => {
    app = await createTestApp({ REGISTRATION_POLICY: 'token' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-REG-1: issues a token shown once and stores only its hash', async () => {
    const res = await issue({ expires_in: 3600, max_uses: 2 }).expect(201);
    expect(res.body).toMatchObject({ max_uses: 2, uses: 0, revoked_at: null });
    expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(res.body.token.startsWith(`${res.body.id}.`)).toBe(true);
    const expiresAt = Date.parse(res.body.expires_at);
    expect(Math.abs(expiresAt - (Date.now() + 3600_000))).toBeLessThan(10_000);
    const row = await app.shared.dataSource
      .getRepository(InitialAccessTokenEntity)
      .findOneByOrFail({ id: res.body.id });
    expect(row.tokenHash).toBe(hashSecret(res.body.token));
    const list = await request(app.adminServer).get('/admin/initial-access-tokens').set(admin()).expect(200);
    const listed = list.body.items.find((t: { id: string }) => t.id === res.body.id);
    expect(listed).toMatchObject({ id: res.body.id, max_uses: 2, uses: 0 });
    expect(listed.token).toBeUndefined();
    expect(JSON.stringify(list.body)).not.toContain(res.body.token);
    expect(JSON.stringify(list.body)).not.toMatch(/hash/i);
  });

  it('defaults to no expiry and unlimited uses', async () => {
    const res = await issue().expect(201);
    expect(res.body).toMatchObject({ expires_at: null, max_uses: null });
    for (let i = 0; i < 3; i++) {
      await register(res.body.token).expect(201);
    }
  });

  it('R-REG-1: max_uses bounds registrations and is counted', async () => {
    const { id, token } = (await issue({ max_uses: 2 }).expect(201)).body;
    await register(token).expect(201);
    await register(token).expect(201);
    const third = await register(token).expect(401);
    expect(third.body.error).toBe('invalid_token');
    const list = await request(app.adminServer)
      .get('/admin/initial-access-tokens?limit=100')
      .set(admin())
      .expect(200);
    expect(list.body.items.find((t: { id: string }) => t.id === id).uses).toBe(2);
  });

  it('R-REG-1: consumption is atomic: concurrent registrations never exceed max_uses', async () => {
    const { token } = (await issue({ max_uses: 3 }).expect(201)).body;
    const results = await Promise.all(Array.from({ length: 10 }, () => register(token)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 401)).toHaveLength(7);
  });

  it('R-REG-1: the conditional update refuses a use past max_uses even after a passing check', async () => {
    const service = app.publicApp.get(InitialAccessTokensService);
    const { token } = (await issue({ max_uses: 1 }).expect(201)).body;
    const row = await service.check(token);
    expect(row).not.toBeNull();
    if (!row) {
      return;
    }
    expect(await service.consume(row)).toBe(true);
    expect(await service.consume(row)).toBe(false); // the stale row still says uses=0
  });

  it('R-REG-1: expired tokens are refused', async () => {
    const { token } = (await issue({ expires_in: 1 }).expect(201)).body;
    await new Promise((r) => setTimeout(r, 1100));
    await register(token).expect(401);
  });

  it('R-REG-1: revoked tokens are refused; revoke is idempotent; unknown ids are 404', async () => {
    const { id, token } = (await issue().expect(201)).body;
    await request(app.adminServer).delete(`/admin/initial-access-tokens/${id}`).set(admin()).expect(204);
    await request(app.adminServer).delete(`/admin/initial-access-tokens/${id}`).set(admin()).expect(204);
    await register(token).expect(401);
    const list = await request(app.adminServer)
      .get('/admin/initial-access-tokens?limit=100')
      .set(admin())
      .expect(200);
    expect(list.body.items.find((t: { id: string }) => t.id === id).revoked_at).toEqual(expect.any(String));
    await request(app.adminServer).delete('/admin/initial-access-tokens/nope').set(admin()).expect(404);
  });

  it('refuses a forged token that reuses a real id', async () => {
    const { id } = (await issue().expect(201)).body;
    const res = await register(`${id}.${'A'.repeat(43)}`).expect(401);
    expect(res.body.error).toBe('invalid_token');
  });

  it('rejects bad input with 400 naming the field', async () => {
    const cases: [object, string][] = [
      [{ expires_in: 0 }, 'expires_in'],
      [{ expires_in: 'soon' }, 'expires_in'],
      [{ max_uses: -1 }, 'max_uses'],
      [{ max_uses: 1.5 }, 'max_uses'],
      [{ scope: 'x' }, 'scope'],
    ];
    for (const [body, field] of cases) {
      const res = await issue(body).expect(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.body.error_description).toContain(field);
    }
    await request(app.adminServer).get('/admin/initial-access-tokens?limit=1000').set(admin()).expect(400);
  });

  it('requires the admin token and is absent from the public port', async () => {
    await request(app.adminServer).post('/admin/initial-access-tokens').send({}).expect(401);
    await request(app.publicServer).post('/admin/initial-access-tokens').set(admin()).send({}).expect(404);
  });
});
