import request from 'supertest';
import { basicAuth, createClient, form, updateClient, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { expectOAuthError } from '../support/oauth-assertions.js';
import { issueFamily } from '../support/refresh-tokens.js';

describe('POST /introspect (R-INT)', () => {
  let app: TestApp;
  let conf: TestClient;
  let rs: TestClient;
  let otherRs: TestClient;
  let accessToken: string;

  beforeAll(async () => {
    app = await createTestApp();
    conf = await createClient(app, {
      allowedResources: ['https://api.example.com', 'https://b.example.com'],
    });
    rs = await createClient(app, {
      canIntrospect: true,
      grantTypes: [],
      allowedResources: ['https://api.example.com'],
    });
    otherRs = await createClient(app, {
      canIntrospect: true,
      grantTypes: [],
      allowedResources: ['https://b.example.com'],
    });
    accessToken = (await cc(conf, 'https://api.example.com')).access_token;
  });
  afterAll(async () => {
    await app.close();
  });

  async function cc(client: TestClient, resource: string, scope = 'read'): Promise<{ access_token: string }> {
    const res = await request(app.publicServer)
      .post('/token')
      .type('form')
      .set('Authorization', basicAuth(client.clientId, client.secret))
      .send(form({ grant_type: 'client_credentials', resource, scope }))
      .expect(200);
    return res.body;
  }
  const introspect = (caller: TestClient | undefined, params: Record<string, string>) => {
    const req = request(app.publicServer).post('/introspect').type('form');
    return (caller ? req.set('Authorization', basicAuth(caller.clientId, caller.secret)) : req).send(
      form(params),
    );
  };

  it('R-INT-5: an active access token answers its claims', async () => {
    const res = await introspect(rs, { token: accessToken }).expect(200);
    const now = Math.floor(Date.now() / 1000);
    expect(res.body).toEqual({
      active: true,
      token_type: 'Bearer',
      scope: 'read',
      client_id: conf.clientId,
      sub: conf.clientId,
      aud: 'https://api.example.com',
      iss: app.shared.config.issuer,
      exp: expect.any(Number),
      iat: expect.any(Number),
      jti: expect.any(String),
    });
    expect(res.body.exp).toBeGreaterThan(now);
    expect(res.body.iat).toBeLessThanOrEqual(now + 1);
  });

  it('R-INT-10: responses carry no-store', async () => {
    const res = await introspect(rs, { token: accessToken }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('R-INT-6/R-INT-7: unknown, malformed, garbage tokens → exactly {active:false}', async () => {
    for (const token of ['nope', 'a.b.c', `${accessToken}x`, 'x'.repeat(10_000), '\u00e9\u00e9']) {
      const res = await introspect(rs, { token }).expect(200);
      expect(res.body).toEqual({ active: false });
    }
  });

  it('R-INT-9: a resource server only sees tokens meant for it', async () => {
    expect((await introspect(otherRs, { token: accessToken }).expect(200)).body).toEqual({ active: false });
    const forB = (await cc(conf, 'https://b.example.com')).access_token;
    expect((await introspect(otherRs, { token: forB }).expect(200)).body.active).toBe(true);
    expect((await introspect(rs, { token: forB }).expect(200)).body).toEqual({ active: false });
  });

  it('R-INT-8: a revoked access token, or one whose client is disabled, is inactive', async () => {
    const temp = await createClient(app);
    const { access_token } = await cc(temp, 'https://api.example.com');
    expect((await introspect(rs, { token: access_token })).body.active).toBe(true);
    await updateClient(app, temp.clientId, { disabled: true });
    expect((await introspect(rs, { token: access_token })).body).toEqual({ active: false });

    const revoked = (await cc(conf, 'https://api.example.com')).access_token;
    await request(app.publicServer)
      .post('/revoke')
      .type('form')
      .set('Authorization', basicAuth(conf.clientId, conf.secret))
      .send(form({ token: revoked }))
      .expect(200);
    expect((await introspect(rs, { token: revoked })).body).toEqual({ active: false });
  });

  it('R-INT-4: refresh tokens are introspectable by their own client, whatever the hint', async () => {
    const rt = await issueFamily(app, rs.client, { ownerId: 'owner-9', scope: 'read' });
    for (const hint of [undefined, 'refresh_token', 'access_token', 'bogus']) {
      const res = await introspect(rs, {
        token: rt.token,
        ...(hint ? { token_type_hint: hint } : {}),
      }).expect(200);
      expect(res.body).toEqual({
        active: true,
        token_type: 'refresh_token',
        scope: 'read',
        client_id: rs.clientId,
        sub: 'owner-9',
        iss: app.shared.config.issuer,
        exp: expect.any(Number),
        iat: expect.any(Number),
      });
    }
    // Not by another resource server.
    expect((await introspect(otherRs, { token: rt.token })).body).toEqual({ active: false });
    // And an access token is still found under a wrong hint.
    expect((await introspect(rs, { token: accessToken, token_type_hint: 'refresh_token' })).body.active).toBe(
      true,
    );
  });

  it('R-INT-1: missing token → invalid_request; wrong content type → invalid_request', async () => {
    expectOAuthError(await introspect(rs, {}), 400, 'invalid_request');
    const json = await request(app.publicServer)
      .post('/introspect')
      .set('Authorization', basicAuth(rs.clientId, rs.secret))
      .send({ token: accessToken });
    expectOAuthError(json, 400, 'invalid_request');
  });

  it('R-INT-2/R-INT-3: unauthenticated → 401 invalid_client (Basic challenge); any confidential client sees its own tokens only', async () => {
    const none = await introspect(undefined, { token: accessToken });
    expectOAuthError(none, 401, 'invalid_client');
    const bad = await request(app.publicServer)
      .post('/introspect')
      .type('form')
      .set('Authorization', basicAuth(rs.clientId, 'wrong'))
      .send(form({ token: accessToken }));
    expectOAuthError(bad, 401, 'invalid_client');
    expect(bad.headers['www-authenticate']).toMatch(/^Basic /);
    // Issue 11: a confidential client without can_introspect introspects its own tokens...
    const own = await introspect(conf, { token: accessToken }).expect(200);
    expect(own.body).toMatchObject({ active: true, client_id: conf.clientId });
    // ...and nobody else's.
    const notOwn = await createClient(app);
    expect((await introspect(notOwn, { token: accessToken }).expect(200)).body).toEqual({ active: false });
    const pub = await createClient(app, { tokenEndpointAuthMethod: 'none', canIntrospect: true });
    expectOAuthError(
      await request(app.publicServer)
        .post('/introspect')
        .type('form')
        .send(form({ token: accessToken, client_id: pub.clientId })),
      401,
      'invalid_client',
    );
  });

  it('R-TOK-1: GET /introspect → 405', async () => {
    const res = await request(app.publicServer).get('/introspect');
    expectOAuthError(res, 405, 'invalid_request');
    expect(res.headers['allow']).toBe('POST');
  });
});
