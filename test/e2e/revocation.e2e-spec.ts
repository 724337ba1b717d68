import { jest } from '@jest/globals';
import request from 'supertest';
import { StoreUnavailableError } from '../../src/store/short-lived-store.js';
import { RefreshTokenFamilyEntity } from '../../src/tokens/refresh-tokens/refresh-token-family.entity.js';
import { basicAuth, createTokenTestClients, form, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { expectOAuthError } from '../support/oauth-assertions.js';
import { issueFamily } from '../support/refresh-tokens.js';

describe('POST /revoke (R-REV)', () => {
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

  const post = (path: string, client: TestClient | undefined, params: Record<string, string>) => {
    const req = request(app.publicServer).post(path).type('form');
    if (client?.secret) {
      return req.set('Authorization', basicAuth(client.clientId, client.secret)).send(form(params));
    }
    return req.send(form(client ? { ...params, client_id: client.clientId } : params));
  };
  const revoke = (client: TestClient | undefined, params: Record<string, string>) =>
    post('/revoke', client, params);
  const active = async (token: string) =>
    (await post('/introspect', rs, { token }).expect(200)).body.active as boolean;
  const refresh = (client: TestClient, token: string) =>
    post('/token', client, { grant_type: 'refresh_token', refresh_token: token });
  const accessToken = async (client: TestClient) =>
    (
      await post('/token', client, {
        grant_type: 'client_credentials',
        resource: 'https://api.example.com',
      }).expect(200)
    ).body.access_token as string;

  it('R-REV-1/R-REV-9: revoking an access token takes effect at once', async () => {
    const token = await accessToken(conf);
    expect(await active(token)).toBe(true);
    const res = await revoke(conf, { token, token_type_hint: 'access_token' }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await active(token)).toBe(false);
  });

  it('R-REV-10: a store outage during /revoke → 503 temporarily_unavailable with Retry-After; the retry revokes', async () => {
    const token = await accessToken(conf);
    const spy = jest
      .spyOn(app.shared.store, 'set')
      .mockRejectedValueOnce(new StoreUnavailableError(new Error('connection refused')));
    try {
      const res = await revoke(conf, { token, token_type_hint: 'access_token' });
      expectOAuthError(res, 503, 'temporarily_unavailable');
      expect(res.headers['retry-after']).toBeDefined();
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(await active(token)).toBe(true);
    await revoke(conf, { token, token_type_hint: 'access_token' }).expect(200);
    expect(await active(token)).toBe(false);
  });

  it('R-REV-7: revoking a refresh token revokes its family and the family access tokens', async () => {
    const { token, familyId } = await issueFamily(app, conf.client);
    const rotated = await refresh(conf, token).expect(200);
    expect(await active(rotated.body.access_token)).toBe(true);
    await revoke(conf, { token: rotated.body.refresh_token, token_type_hint: 'refresh_token' }).expect(200);
    expectOAuthError(await refresh(conf, rotated.body.refresh_token), 400, 'invalid_grant');
    expect(await active(rotated.body.access_token)).toBe(false);
    const family = await app.shared.dataSource
      .getRepository(RefreshTokenFamilyEntity)
      .findOneByOrFail({ id: familyId });
    expect(family.revokedAt).not.toBeNull();
  });

  it('R-REV-5: a wrong hint is not trusted: the other type is searched too', async () => {
    const { token } = await issueFamily(app, conf.client);
    await revoke(conf, { token, token_type_hint: 'access_token' }).expect(200);
    expectOAuthError(await refresh(conf, token), 400, 'invalid_grant');
    const at = await accessToken(conf);
    await revoke(conf, { token: at, token_type_hint: 'refresh_token' }).expect(200);
    expect(await active(at)).toBe(false);
  });

  it('R-REV-6: unknown, garbage or already revoked tokens → 200', async () => {
    for (const token of ['unknown', 'a.b.c', 'x'.repeat(9000)]) {
      const res = await revoke(conf, { token }).expect(200);
      expect(res.text).toBe('{}');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    }
    const { token } = await issueFamily(app, conf.client);
    await revoke(conf, { token }).expect(200);
    await revoke(conf, { token }).expect(200);
  });

  it('R-REV-4: a token issued to another client → 400 invalid_request and nothing is revoked', async () => {
    const { token } = await issueFamily(app, conf.client);
    expectOAuthError(await revoke(other, { token }), 400, 'invalid_request');
    const at = await accessToken(conf);
    expectOAuthError(await revoke(other, { token: at }), 400, 'invalid_request');
    expect(await active(at)).toBe(true);
    await refresh(conf, token).expect(200);
  });

  it('R-REV-3: public clients revoke their own tokens by client_id; confidential ones must authenticate', async () => {
    const { token } = await issueFamily(app, pub.client);
    await revoke(pub, { token }).expect(200);
    expectOAuthError(await refresh(pub, token), 400, 'invalid_grant');
    expectOAuthError(await revoke(undefined, { token: 'x' }), 401, 'invalid_client');
    const wrong = await request(app.publicServer)
      .post('/revoke')
      .type('form')
      .set('Authorization', basicAuth(conf.clientId, 'wrong'))
      .send(form({ token: 'x' }));
    expectOAuthError(wrong, 401, 'invalid_client');
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic /);
  });

  it('R-REV-2: missing token → invalid_request; JSON body → invalid_request; GET → 405', async () => {
    expectOAuthError(await revoke(conf, {}), 400, 'invalid_request');
    expectOAuthError(
      await request(app.publicServer)
        .post('/revoke')
        .set('Authorization', basicAuth(conf.clientId, conf.secret))
        .send({ token: 'x' }),
      400,
      'invalid_request',
    );
    const res = await request(app.publicServer).get('/revoke');
    expectOAuthError(res, 405, 'invalid_request');
    expect(res.headers['allow']).toBe('POST');
  });
});
