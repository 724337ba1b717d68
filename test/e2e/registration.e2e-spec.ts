import request from 'supertest';
import { ClientRegistry } from '../../src/clients/client-registry.js';
import { ClientEntity } from '../../src/clients/client.entity.js';
import { hashSecret } from '../../src/common/crypto/secret-hash.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

interface Registered {
  client_id: string;
  client_secret: string;
  registration_access_token: string;
  registration_client_uri: string;
  [member: string]: unknown;
}

const ISSUER = 'http://127.0.0.1:3000';
const ALL_SCOPES = 'openid profile email offline_access notes:read notes:write';
const minimal = { redirect_uris: ['https://app.example.com/cb'] };

async function initialAccessToken(app: TestApp, body: object = {}): Promise<string> {
  const res = await request(app.adminServer)
    .post('/admin/initial-access-tokens')
    .set('Authorization', `Bearer ${app.adminToken}`)
    .send(body)
    .expect(201);
  return res.body.token as string;
}

describe('RFC 7591/7592 registration, REGISTRATION_POLICY=token', () => {
  let app: TestApp;
  let iat: string;
  const register = (body: unknown, token: string | null = iat) => {
    const req = request(app.publicServer).post('/register');
    if (token) {
      void req.set('Authorization', `Bearer ${token}`);
    }
    return req.send(body as object);
  };
  const manage = (method: 'get' | 'put' | 'delete', clientId: string, token: string) =>
    request(app.publicServer)[method](`/register/${clientId}`).set('Authorization', `Bearer ${token}`);
  const row = (clientId: string) => app.shared.dataSource.getRepository(ClientEntity).findOneBy({ clientId });

  beforeAll(async () => {
    app = await createTestApp({ REGISTRATION_POLICY: 'token' });
    iat = await initialAccessToken(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-REG-1: requires an initial access token (401 invalid_token otherwise)', async () => {
    const none = await register(minimal, null).expect(401);
    expect(none.body.error).toBe('invalid_token');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer /);
    const bad = await register(minimal, 'bogus.token').expect(401);
    expect(bad.body.error).toBe('invalid_token');
    await request(app.publicServer)
      .post('/register')
      .set('Authorization', 'Basic abc')
      .send(minimal)
      .expect(401);
  });

  it('R-REG-3/R-REG-7/R-CAUTH-12: 201 with defaults, a secret shown once, and the management credentials', async () => {
    const res = await register(minimal).expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.body;
    expect(body).toMatchObject({
      redirect_uris: minimal.redirect_uris,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      scope: ALL_SCOPES,
      client_secret_expires_at: 0,
      registration_client_uri: `${ISSUER}/register/${body.client_id}`,
    });
    expect(body.client_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Math.abs(body.client_id_issued_at - Date.now() / 1000)).toBeLessThan(10);
    expect(body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.registration_access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await row(body.client_id);
    expect(stored).toMatchObject({
      dynamicallyRegistered: true,
      firstParty: false,
      canIntrospect: false,
      secretHash: hashSecret(body.client_secret),
      registrationTokenHash: hashSecret(body.registration_access_token),
    });
    const client = await app.publicApp.get(ClientRegistry).find(body.client_id);
    expect(client && app.publicApp.get(ClientRegistry).verifySecret(client, body.client_secret)).toBe(true);
  });

  it('R-REG-9/R-SEC-12: the client never chooses its client_id nor admin-only settings', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await register({
        ...minimal,
        client_id: 'my-own-id',
        first_party: true,
        can_introspect: true,
      }).expect(201);
      expect(res.body.client_id).not.toBe('my-own-id');
      ids.add(res.body.client_id);
      expect(await row(res.body.client_id)).toMatchObject({ firstParty: false, canIntrospect: false });
    }
    expect(ids.size).toBe(3);
    expect(await row('my-own-id')).toBeNull();
  });

  it('R-REG-2: keeps the RFC 7591 metadata and ignores unknown members', async () => {
    const res = await register({
      ...minimal,
      client_name: 'My MCP client',
      client_uri: 'https://app.example.com',
      logo_uri: 'https://app.example.com/logo.png',
      contacts: ['ops@example.com'],
      tos_uri: 'https://app.example.com/tos',
      policy_uri: 'https://app.example.com/privacy',
      software_id: 'mcp-client',
      software_version: '1.2.3',
      scope: 'openid profile',
      favourite_colour: 'blue',
    }).expect(201);
    expect(res.body).toMatchObject({
      client_name: 'My MCP client',
      client_uri: 'https://app.example.com',
      logo_uri: 'https://app.example.com/logo.png',
      contacts: ['ops@example.com'],
      tos_uri: 'https://app.example.com/tos',
      policy_uri: 'https://app.example.com/privacy',
      software_id: 'mcp-client',
      software_version: '1.2.3',
      scope: 'openid profile',
    });
    expect(res.body.favourite_colour).toBeUndefined();
  });

  it('R-REG-4/R-CLI-5: a client_credentials client gets response_types [] and no redirect URI is needed', async () => {
    const res = await register({ grant_types: ['client_credentials'] }).expect(201);
    expect(res.body).toMatchObject({
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    });
    expect(res.body.client_secret).toEqual(expect.any(String));
  });

  it('R-REG-4: private_key_jwt with jwks registers without a secret', async () => {
    const jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }] };
    const res = await register({ ...minimal, token_endpoint_auth_method: 'private_key_jwt', jwks }).expect(
      201,
    );
    expect(res.body.jwks).toEqual(jwks);
    expect(res.body.client_secret).toBeUndefined();
    expect(res.body.client_secret_expires_at).toBeUndefined();
  });

  it('R-REG-5/R-REG-8: bad redirect URIs are invalid_redirect_uri', async () => {
    for (const redirect_uris of [
      ['https://*.example.com/cb'],
      ['http://app.example.com/cb'],
      ['https://app.example.com/cb#frag'],
      ['app/cb'],
      ['myapp:/cb'],
      [],
    ]) {
      const res = await register({ redirect_uris }).expect(400);
      expect(res.body.error).toBe('invalid_redirect_uri');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    await register({}).expect(400);
  });

  it('R-CLI-8/R-CLI-9/R-CLI-10: loopback, localhost and reverse-domain redirect URIs register', async () => {
    const uris = [
      'http://127.0.0.1:33418/cb',
      'http://[::1]/cb',
      'http://localhost:6274/callback',
      'com.example.app:/cb',
    ];
    const res = await register({ redirect_uris: uris }).expect(201);
    expect(res.body.redirect_uris).toEqual(uris);
  });

  it('R-REG-6/R-REG-8: implicit, password, response type token and public client_credentials are invalid_client_metadata', async () => {
    for (const body of [
      { ...minimal, grant_types: ['implicit'] },
      { ...minimal, grant_types: ['password'] },
      { ...minimal, grant_types: ['authorization_code', 'urn:ietf:params:oauth:grant-type:jwt-bearer'] },
      { ...minimal, response_types: ['token'] },
      { ...minimal, response_types: ['code id_token'] },
      { token_endpoint_auth_method: 'none', grant_types: ['client_credentials'] },
      { ...minimal, token_endpoint_auth_method: 'private_key_jwt' },
      {
        ...minimal,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ kty: 'EC' }] },
        jwks_uri: 'https://a.example/jwks',
      },
      { ...minimal, token_endpoint_auth_method: 'client_secret_jwt' },
      { ...minimal, grant_types: ['client_credentials'], response_types: ['code'] },
    ]) {
      const res = await register(body).expect(400);
      expect(res.body.error).toBe('invalid_client_metadata');
    }
  });

  it('R-REG-8: wrong types are invalid_client_metadata naming the field', async () => {
    const cases: [object, string][] = [
      [{ redirect_uris: 'https://app.example.com/cb' }, 'redirect_uris'],
      [{ ...minimal, grant_types: 'authorization_code' }, 'grant_types'],
      [{ ...minimal, client_name: 7 }, 'client_name'],
      [{ ...minimal, contacts: [1] }, 'contacts'],
      [{ ...minimal, jwks: 'keys' }, 'jwks'],
      [{ ...minimal, logo_uri: 'not a url' }, 'logo_uri'],
      [{ ...minimal, scope: ['openid'] }, 'scope'],
    ];
    for (const [body, field] of cases) {
      const res = await register(body).expect(400);
      expect(res.body.error).toBe('invalid_client_metadata');
      expect(res.body.error_description).toContain(field);
    }
  });

  it('R-REG-1: the body must be a JSON object', async () => {
    const form = await request(app.publicServer)
      .post('/register')
      .set('Authorization', `Bearer ${iat}`)
      .type('form')
      .send('redirect_uris=https://app.example.com/cb')
      .expect(400);
    expect(form.body.error).toBe('invalid_request');
    const text = await request(app.publicServer)
      .post('/register')
      .set('Authorization', `Bearer ${iat}`)
      .set('Content-Type', 'text/plain')
      .send('{"redirect_uris":["https://app.example.com/cb"]}')
      .expect(400);
    expect(text.body.error).toBe('invalid_request');
    const array = await register([minimal]).expect(400);
    expect(array.body.error).toBe('invalid_client_metadata');
    const broken = await request(app.publicServer)
      .post('/register')
      .set('Authorization', `Bearer ${iat}`)
      .set('Content-Type', 'application/json')
      .send('{"redirect_uris": [')
      .expect(400);
    expect(broken.body.error).toBe('invalid_request');
  });

  it('R-REG-8: hostile JSON bodies get 4xx JSON, never 5xx', async () => {
    for (const raw of [
      'null',
      '42',
      '"x"',
      '{"redirect_uris":[{"a":1}]}',
      '{"jwks":[]}',
      '{"contacts":{"a":1}}',
      '{"__proto__":{"x":1}}',
    ]) {
      const res = await request(app.publicServer)
        .post('/register')
        .set('Authorization', `Bearer ${iat}`)
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.error).toEqual(expect.any(String));
    }
  });

  it('answers a 1 MB body with 413 JSON, never 5xx', async () => {
    const res = await register({ ...minimal, client_name: 'x'.repeat(1024 * 1024) }).expect(413);
    expect(res.body.error).toEqual(expect.any(String));
  });

  it('R-REG-1: invalid metadata does not spend a use of the initial access token', async () => {
    const once = await initialAccessToken(app, { max_uses: 1 });
    await register({ redirect_uris: ['http://evil.example/cb'] }, once).expect(400);
    await register(minimal, once).expect(201);
    await register(minimal, once).expect(401);
  });

  describe('RFC 7592 client configuration endpoint', () => {
    let reg: Registered;
    beforeEach(async () => {
      reg = (
        await register({
          ...minimal,
          client_name: 'Managed',
          client_uri: 'https://app.example.com',
          scope: 'openid',
        }).expect(201)
      ).body;
    });

    it('R-REG-11/R-REG-12: GET returns the current registration with no-store', async () => {
      const res = await manage('get', reg.client_id, reg.registration_access_token).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const { client_secret, client_secret_expires_at, registration_access_token, ...metadata } = reg;
      expect(res.body).toEqual(metadata);
      expect([client_secret, client_secret_expires_at, registration_access_token]).not.toContain(undefined);
    });

    it('R-REG-15: a wrong, missing or foreign registration access token is 401 invalid_token', async () => {
      const other = (await register(minimal).expect(201)).body;
      for (const token of [
        `${reg.registration_access_token}x`,
        other.registration_access_token,
        reg.client_secret,
        iat,
      ]) {
        const res = await manage('get', reg.client_id, token).expect(401);
        expect(res.body.error).toBe('invalid_token');
        expect(res.headers['www-authenticate']).toContain('invalid_token');
      }
      await request(app.publicServer).get(`/register/${reg.client_id}`).expect(401);
      await request(app.publicServer)
        .get(`/register/${reg.client_id}`)
        .set(
          'Authorization',
          `Basic ${Buffer.from(`${reg.client_id}:${reg.client_secret}`).toString('base64')}`,
        )
        .expect(401);
      await manage('get', 'unknown-client', reg.registration_access_token).expect(401);
      await manage('delete', reg.client_id, other.registration_access_token).expect(401);
      await manage('put', reg.client_id, other.registration_access_token)
        .send({ ...minimal, client_id: reg.client_id })
        .expect(401);
    });

    it('R-REG-15: a client registered by an administrator has no registration access token', async () => {
      const created = await request(app.adminServer)
        .post('/admin/clients')
        .set('Authorization', `Bearer ${app.adminToken}`)
        .send({ client_name: 'admin-made', ...minimal })
        .expect(201);
      await manage('get', created.body.client_id, hashSecret('')).expect(401);
    });

    it('R-REG-13: PUT replaces the registration; omitted fields are reset to defaults', async () => {
      const res = await manage('put', reg.client_id, reg.registration_access_token)
        .send({
          client_id: reg.client_id,
          client_secret: reg.client_secret,
          redirect_uris: ['https://app.example.com/new-cb'],
          grant_types: ['authorization_code', 'refresh_token'],
        })
        .expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({
        client_id: reg.client_id,
        redirect_uris: ['https://app.example.com/new-cb'],
        grant_types: ['authorization_code', 'refresh_token'],
        scope: ALL_SCOPES,
        token_endpoint_auth_method: 'client_secret_basic',
      });
      expect(res.body.client_name).toBeUndefined();
      expect(res.body.client_uri).toBeUndefined();
      expect(res.body.client_secret).toBeUndefined(); // unchanged secret is not re-issued
      const client = await app.publicApp.get(ClientRegistry).find(reg.client_id);
      expect(client?.redirectUris).toEqual(['https://app.example.com/new-cb']);
      expect(client && app.publicApp.get(ClientRegistry).verifySecret(client, reg.client_secret)).toBe(true);
      // The registration access token keeps working.
      await manage('get', reg.client_id, reg.registration_access_token).expect(200);
    });

    it('R-REG-13: PUT must carry the matching client_id and secret and no server-only members', async () => {
      const put = (body: object) => manage('put', reg.client_id, reg.registration_access_token).send(body);
      for (const body of [
        minimal,
        { ...minimal, client_id: 'someone-else' },
        { ...minimal, client_id: reg.client_id, client_secret: 'wrong' },
        { ...minimal, client_id: reg.client_id, registration_access_token: reg.registration_access_token },
        { ...minimal, client_id: reg.client_id, registration_client_uri: reg.registration_client_uri },
        { ...minimal, client_id: reg.client_id, client_secret_expires_at: 0 },
        { ...minimal, client_id: reg.client_id, client_id_issued_at: 1 },
        { ...minimal, client_id: reg.client_id, grant_types: ['password'] },
      ]) {
        const res = await put(body).expect(400);
        expect(res.body.error).toBe('invalid_client_metadata');
      }
      const redirect = await put({
        client_id: reg.client_id,
        redirect_uris: ['https://*.example.com/'],
      }).expect(400);
      expect(redirect.body.error).toBe('invalid_redirect_uri');
      expect((await row(reg.client_id))?.clientName).toBe('Managed');
    });

    it('R-REG-13/R-CLI-1: switching to a public client via PUT drops the secret', async () => {
      const res = await manage('put', reg.client_id, reg.registration_access_token)
        .send({ ...minimal, client_id: reg.client_id, token_endpoint_auth_method: 'none' })
        .expect(200);
      expect(res.body.token_endpoint_auth_method).toBe('none');
      expect((await row(reg.client_id))?.secretHash).toBeNull();
    });

    it('R-REG-15: 403 when an administrator disabled the client', async () => {
      await request(app.adminServer)
        .patch(`/admin/clients/${reg.client_id}`)
        .set('Authorization', `Bearer ${app.adminToken}`)
        .send({ disabled: true })
        .expect(200);
      const res = await manage('put', reg.client_id, reg.registration_access_token)
        .send({ ...minimal, client_id: reg.client_id })
        .expect(403);
      expect(res.body.error).toBe('forbidden');
    });

    it('R-REG-14: DELETE answers 204 and invalidates the client, its secret and its token', async () => {
      const registry = app.publicApp.get(ClientRegistry);
      expect(await registry.find(reg.client_id)).not.toBeNull(); // cached
      await manage('delete', reg.client_id, reg.registration_access_token).expect(204);
      expect(await registry.find(reg.client_id)).toBeNull();
      expect(await row(reg.client_id)).toBeNull();
      await manage('get', reg.client_id, reg.registration_access_token).expect(401);
      await manage('delete', reg.client_id, reg.registration_access_token).expect(401);
    });
  });
});

describe('RFC 7591 registration, REGISTRATION_POLICY=open', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ REGISTRATION_POLICY: 'open', OPEN_REGISTRATION_RATE_LIMIT: '4' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-REG-1/R-MCP-9: registers a public client without a token, with least-privilege defaults', async () => {
    const res = await request(app.publicServer)
      .post('/register')
      .send({ redirect_uris: ['http://localhost:6274/callback'], client_name: 'MCP Inspector' })
      .expect(201);
    expect(res.body).toMatchObject({
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      scope: 'openid profile email notes:read notes:write',
    });
    expect(res.body.client_secret).toBeUndefined();
    expect(res.body.registration_access_token).toEqual(expect.any(String));
    const stored = await app.shared.dataSource
      .getRepository(ClientEntity)
      .findOneByOrFail({ clientId: res.body.client_id });
    expect(stored.accessTokenTtl).toBeLessThanOrEqual(300);
    expect(stored.firstParty).toBe(false);
  });

  it('R-REG-1: accepts confidential clients without an initial access token (least privilege, rate-limited); unknown scopes are dropped', async () => {
    const res = await request(app.publicServer)
      .post('/register')
      .send({
        redirect_uris: ['https://app.example.com/cb'],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'openid mcp:tools notes:read',
      })
      .expect(201);
    expect(res.body.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(res.body.client_secret).toEqual(expect.any(String));
    expect(res.body.scope).toBe('openid notes:read');
  });

  it('R-REG-1: an initial access token lifts the open restrictions and the rate limit', async () => {
    const token = await initialAccessToken(app);
    const res = await request(app.publicServer)
      .post('/register')
      .set('Authorization', `Bearer ${token}`)
      .send({ redirect_uris: ['https://app.example.com/cb'] })
      .expect(201);
    expect(res.body.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(res.body.client_secret).toEqual(expect.any(String));
    await request(app.publicServer)
      .post('/register')
      .set('Authorization', 'Bearer wrong')
      .send({})
      .expect(401);
  });

  it('R-SEC-6: open registration is rate-limited per IP (429 with Retry-After)', async () => {
    // Two attempts were counted above (limit 4).
    await request(app.publicServer)
      .post('/register')
      .send({ redirect_uris: ['http://127.0.0.1/cb'] })
      .expect(201);
    await request(app.publicServer)
      .post('/register')
      .send({ redirect_uris: ['http://127.0.0.1/cb'] })
      .expect(201);
    const res = await request(app.publicServer)
      .post('/register')
      .send({ redirect_uris: ['http://127.0.0.1/cb'] })
      .expect(429);
    expect(res.body.error).toBe('too_many_requests');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('RFC 7591 registration, REGISTRATION_POLICY=disabled', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ REGISTRATION_POLICY: 'disabled' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-REG-1: the registration and configuration endpoints answer 404', async () => {
    const token = await initialAccessToken(app);
    const res = await request(app.publicServer)
      .post('/register')
      .set('Authorization', `Bearer ${token}`)
      .send({ redirect_uris: ['https://app.example.com/cb'] })
      .expect(404);
    expect(res.body.error).toBe('not_found');
    await request(app.publicServer).get('/register/some-client').set('Authorization', 'Bearer x').expect(404);
  });
});
