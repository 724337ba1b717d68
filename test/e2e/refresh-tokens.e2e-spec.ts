import request from 'supertest';
import { hashSecret } from '../../src/common/crypto/secret-hash.js';
import { RefreshTokenFamilyEntity } from '../../src/tokens/refresh-tokens/refresh-token-family.entity.js';
import { RefreshTokenEntity } from '../../src/tokens/refresh-tokens/refresh-token.entity.js';
import { RefreshTokenHousekeeping } from '../../src/tokens/refresh-tokens/refresh-token-housekeeping.service.js';
import {
  basicAuth,
  createClient,
  createTokenTestClients,
  form,
  type TestClient,
} from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { expectOAuthError } from '../support/oauth-assertions.js';
import { issueFamily } from '../support/refresh-tokens.js';

describe('refresh_token grant (R-RT)', () => {
  let app: TestApp;
  let conf: TestClient;
  let other: TestClient;
  let pub: TestClient;
  let rs: TestClient;

  beforeAll(async () => {
    app = await createTestApp();
    ({ conf, other, pub, rs } = await createTokenTestClients(app));
  });
  afterAll(async () => {
    await app.close();
  });

  const refresh = (
    client: TestClient,
    refreshToken: string,
    extra: Record<string, string | string[]> = {},
  ) => {
    const body = form({ grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });
    const req = request(app.publicServer).post('/token').type('form');
    return client.secret
      ? req.set('Authorization', basicAuth(client.clientId, client.secret)).send(body)
      : req.send(`${body}&client_id=${encodeURIComponent(client.clientId)}`);
  };
  const introspect = async (token: string) =>
    (
      await request(app.publicServer)
        .post('/introspect')
        .type('form')
        .set('Authorization', basicAuth(rs.clientId, rs.secret))
        .send(form({ token }))
        .expect(200)
    ).body;
  const tokens = () => app.shared.dataSource.getRepository(RefreshTokenEntity);
  const families = () => app.shared.dataSource.getRepository(RefreshTokenFamilyEntity);

  it('R-RT-7: a refresh returns a new access token and a new refresh token; the family lineage is kept', async () => {
    const { token, familyId } = await issueFamily(app, conf.client);
    const res = await refresh(conf, token).expect(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: expect.any(Number),
      scope: 'read write',
      refresh_token: expect.any(String),
    });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.refresh_token).not.toBe(token);
    const rows = await tokens().findBy({ familyId });
    expect(rows).toHaveLength(2);
    expect(await introspect(res.body.access_token)).toMatchObject({
      active: true,
      sub: 'owner-1',
      client_id: conf.clientId,
      aud: 'https://api.example.com',
    });
  });

  it('R-RT-2: refresh tokens carry ≥256 bits and are stored only as SHA-256', async () => {
    const { token, familyId } = await issueFamily(app, conf.client);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(32);
    const [row] = await tokens().findBy({ familyId });
    expect(row?.tokenHash).toBe(hashSecret(token));
    expect(JSON.stringify(await tokens().find())).not.toContain(token);
  });

  it('R-RT-8: reusing a rotated-out token → invalid_grant and the whole family is revoked, access tokens included', async () => {
    const { token, familyId } = await issueFamily(app, conf.client);
    const first = await refresh(conf, token).expect(200);
    expect((await introspect(first.body.access_token)).active).toBe(true);
    expectOAuthError(await refresh(conf, token), 400, 'invalid_grant');
    expect((await families().findOneByOrFail({ id: familyId })).revokedAt).not.toBeNull();
    expectOAuthError(await refresh(conf, first.body.refresh_token), 400, 'invalid_grant');
    expect(await introspect(first.body.access_token)).toEqual({ active: false });
  });

  it('R-RT-3: a token of another client → invalid_grant, and the grant stays usable by its owner', async () => {
    const { token } = await issueFamily(app, conf.client);
    expectOAuthError(await refresh(other, token), 400, 'invalid_grant');
    expectOAuthError(await refresh(pub, token), 400, 'invalid_grant');
    await refresh(conf, token).expect(200);
  });

  it('R-RT-5: unknown, revoked, idle-expired or absolutely expired tokens → invalid_grant', async () => {
    expectOAuthError(await refresh(conf, 'x'.repeat(43)), 400, 'invalid_grant');
    expectOAuthError(await refresh(conf, 'y'.repeat(5000)), 400, 'invalid_grant');
    expectOAuthError(await refresh(conf, 'y'.repeat(20_000)), 400, 'invalid_request');

    const revoked = await issueFamily(app, conf.client);
    await families().update({ id: revoked.familyId }, { revokedAt: new Date() });
    expectOAuthError(await refresh(conf, revoked.token), 400, 'invalid_grant');

    const idle = await issueFamily(app, conf.client);
    await tokens().update(
      { tokenHash: hashSecret(idle.token) },
      { idleExpiresAt: new Date(Date.now() - 1000) },
    );
    expectOAuthError(await refresh(conf, idle.token), 400, 'invalid_grant');

    const old = await issueFamily(app, conf.client);
    await families().update({ id: old.familyId }, { absoluteExpiresAt: new Date(Date.now() - 1000) });
    expectOAuthError(await refresh(conf, old.token), 400, 'invalid_grant');
  });

  it('R-RT-12: idle expiry never outlives the absolute expiry; client.refreshTokenTtl overrides the default', async () => {
    const short = await createClient(app, { refreshTokenTtl: 120 });
    const issued = await issueFamily(app, short.client);
    const family = await families().findOneByOrFail({ id: issued.familyId });
    expect(family.absoluteExpiresAt.getTime() - family.createdAt.getTime()).toBe(120_000);
    expect(issued.expiresAt.getTime()).toBeLessThanOrEqual(family.absoluteExpiresAt.getTime());
  });

  it('missing refresh_token → invalid_request', async () => {
    expectOAuthError(
      await request(app.publicServer)
        .post('/token')
        .type('form')
        .set('Authorization', basicAuth(conf.clientId, conf.secret))
        .send('grant_type=refresh_token'),
      400,
      'invalid_request',
    );
  });

  it('R-RT-10/R-RT-11: scope may narrow the access token, never widen; the new refresh token keeps the full scope', async () => {
    const { token } = await issueFamily(app, conf.client);
    expectOAuthError(await refresh(conf, token, { scope: 'read admin' }), 400, 'invalid_scope');
    const narrowed = await refresh(conf, token, { scope: 'read' }).expect(200);
    expect(narrowed.body.scope).toBe('read');
    expect((await introspect(narrowed.body.access_token)).scope).toBe('read');
    const again = await refresh(conf, narrowed.body.refresh_token).expect(200);
    expect(again.body.scope).toBe('read write');
  });

  it('R-AT-7: resource on refresh must be one of the grant resources', async () => {
    const { token } = await issueFamily(app, conf.client, {
      resources: ['https://api.example.com', 'https://other.example.com'],
    });
    expectOAuthError(
      await refresh(conf, token, { resource: 'https://evil.example.com' }),
      400,
      'invalid_target',
    );
    const res = await refresh(conf, token, { resource: 'https://api.example.com' }).expect(200);
    expect((await introspect(res.body.access_token)).aud).toBe('https://api.example.com');
  });

  it('R-RT-6: public clients always rotate, even when rotation is switched off', async () => {
    const lazyPublic = await createClient(app, {
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['refresh_token'],
      refreshTokenRotation: false,
    });
    const { token } = await issueFamily(app, lazyPublic.client);
    const res = await refresh(lazyPublic, token).expect(200);
    expect(res.body.refresh_token).toEqual(expect.any(String));
    expectOAuthError(await refresh(lazyPublic, token), 400, 'invalid_grant');
  });

  it('R-RT-14: a confidential client may opt out of rotation: the same token keeps working', async () => {
    const steady = await createClient(app, { refreshTokenRotation: false });
    const { token } = await issueFamily(app, steady.client);
    const first = await refresh(steady, token).expect(200);
    expect(first.body.refresh_token).toBeUndefined();
    await refresh(steady, token).expect(200);
  });

  it('R-RT-8: two concurrent uses of one refresh token → exactly one success', async () => {
    const { token, familyId } = await issueFamily(app, conf.client);
    const results = await Promise.all(Array.from({ length: 6 }, () => refresh(conf, token)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 400, 400, 400, 400, 400]);
    for (const r of results.filter((x) => x.status === 400)) {
      expect(r.body.error).toBe('invalid_grant');
    }
    // A lost race counts as reuse: the family is revoked, so nobody holds a live token.
    expect((await families().findOneByOrFail({ id: familyId })).revokedAt).not.toBeNull();
    const unused = await tokens().findBy({ familyId });
    expect(unused.filter((t) => t.usedAt === null)).toHaveLength(1);
  });

  it('R-RT-12: housekeeping purges expired tokens and dead families in bounded batches, keeping live ones', async () => {
    const live = await issueFamily(app, conf.client);
    const dead = await issueFamily(app, conf.client);
    const idle = await issueFamily(app, conf.client);
    await families().update({ id: dead.familyId }, { absoluteExpiresAt: new Date(Date.now() - 1000) });
    await tokens().update(
      { tokenHash: hashSecret(idle.token) },
      { idleExpiresAt: new Date(Date.now() - 1000) },
    );
    const housekeeping = app.publicApp.get(RefreshTokenHousekeeping, { strict: false });
    const result = await housekeeping.purgeExpired();
    expect(result.families).toBeGreaterThanOrEqual(1);
    expect(result.tokens).toBeGreaterThanOrEqual(1);
    expect(await families().findOneBy({ id: dead.familyId })).toBeNull();
    expect(await tokens().findOneBy({ familyId: dead.familyId })).toBeNull();
    expect(await tokens().findOneBy({ tokenHash: hashSecret(idle.token) })).toBeNull();
    expect(await families().findOneBy({ id: idle.familyId })).not.toBeNull();
    await refresh(conf, live.token).expect(200);
    // Idempotent: a second run (another instance) finds nothing left to do for these.
    expect(await families().findOneBy({ id: dead.familyId })).toBeNull();
    await housekeeping.purgeExpired();
  });
});
