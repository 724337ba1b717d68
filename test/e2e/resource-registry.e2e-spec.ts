import request from 'supertest';
import { adminRequest } from '../support/admin-request.js';
import { basicAuth, createClient, form, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { expectOAuthError } from '../support/oauth-assertions.js';
import { issueFamily } from '../support/refresh-tokens.js';
import { startSecondInstance } from '../support/second-instance.js';
import { usingRedis } from '../support/test-env.js';

const ISSUER = 'http://127.0.0.1:3000';
const API = `${ISSUER}/api`;

/** Issue 11: resource servers as registered entities, the audience rules, registration and CORS. */
describe('resource registry (/admin/resources) and audience rules', () => {
  let app: TestApp;
  let admin: ReturnType<typeof adminRequest>;
  let worker: TestClient;

  beforeAll(async () => {
    app = await createTestApp({ REGISTRATION_POLICY: 'open' });
    admin = adminRequest(app);
    worker = await createClient(app, { scope: 'notes:read reports:read read', allowedResources: [] });
  });
  afterAll(async () => {
    await app.close();
  });

  const token = (client: TestClient, params: Record<string, string | string[] | undefined>) =>
    request(app.publicServer)
      .post('/token')
      .type('form')
      .set('Authorization', basicAuth(client.clientId, client.secret))
      .send(form(params));
  const apiGet = (path: string, accessToken: string) =>
    request(app.publicServer).get(path).set('Authorization', `Bearer ${accessToken}`);
  const resources = async () =>
    (await admin.get('/admin/resources').expect(200)).body as {
      items: { id: string; identifier: string; client_policy: string; scopes: { name: string }[] }[];
      total: number;
    };

  it('R-AT-6: the sample API is registered at first start (policy any, its scopes); CRUD is OpenAPI-documented', async () => {
    const { items } = await resources();
    const sample = items.find((r) => r.identifier === API);
    expect(sample).toMatchObject({ client_policy: 'any' });
    expect(sample?.scopes.map((s) => s.name)).toEqual(['profile', 'notes:read', 'notes:write']);
    const created = await admin
      .post('/admin/resources', {
        identifier: 'https://Reports.Example.com/',
        name: 'Reports',
        scopes: [{ name: 'reports:read', description: 'Read your reports' }],
        access_token_format: 'opaque',
        access_token_ttl: 120,
        client_policy: 'any',
      })
      .expect(201);
    expect(created.body).toMatchObject({ identifier: 'https://reports.example.com', listed_clients: [] });
    const id = created.body.id as string;
    await admin.get(`/admin/resources/${id}`).expect(200);
    const patched = await admin.patch(`/admin/resources/${id}`, { name: 'Reports API' }).expect(200);
    expect(patched.body.name).toBe('Reports API');
    // The registered format and lifetime shape the token; the scope is advertised.
    const res = await token(worker, {
      grant_type: 'client_credentials',
      scope: 'reports:read',
      resource: 'https://reports.example.com',
    }).expect(200);
    expect(res.body.expires_in).toBe(120);
    expect(res.body.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/); // opaque
    const metadata = await request(app.publicServer)
      .get('/.well-known/oauth-authorization-server')
      .expect(200);
    expect(metadata.body.scopes_supported).toContain('reports:read');
    const docs = await admin.get('/admin/docs/json').expect(200);
    expect(Object.keys(docs.body.paths as object)).toEqual(
      expect.arrayContaining(['/admin/resources', '/admin/resources/{id}']),
    );
    await admin.delete(`/admin/resources/${id}`).expect(200);
  });

  it('bad input: fragments, relative URIs, queries, over 2 KB, duplicates and a scope of two resources are clear 4xx; nothing is written', async () => {
    const before = (await resources()).total;
    for (const identifier of [
      'https://api.example.com/#frag',
      'https://api.example.com#',
      '/relative/path',
      'api.example.com',
      'https://api.example.com/?q=1',
      `https://api.example.com/${'a'.repeat(2100)}`,
    ]) {
      const res = await admin.post('/admin/resources', { identifier, name: 'x' });
      expect({ identifier: identifier.slice(0, 40), status: res.status }).toEqual({
        identifier: identifier.slice(0, 40),
        status: 400,
      });
    }
    await admin
      .post('/admin/resources', { identifier: 'HTTP://127.0.0.1:3000/api', name: 'dup' })
      .expect(409);
    const twice = await admin
      .post('/admin/resources', {
        identifier: 'https://other.example.com',
        name: 'steals a scope',
        scopes: [{ name: 'notes:read', description: 'mine too' }],
      })
      .expect(409);
    expect(twice.body.error_description).toMatch(/notes:read is already defined by resource/);
    await admin
      .post('/admin/resources', { identifier: 'https://x.example', name: 'x', client_policy: 'some' })
      .expect(400);
    await admin
      .post('/admin/resources', { identifier: 'https://x.example', name: 'x', scopes: [{ name: 'a b' }] })
      .expect(400);
    await admin.patch('/admin/resources/not-a-resource', { name: 'x' }).expect(404);
    expect((await resources()).total).toBe(before);
  });

  it('R-AT-6: policy listed refuses an unlisted client with invalid_target naming the rule; listed clients get tokens', async () => {
    const listed = await createClient(app, { scope: 'read' });
    const created = await admin
      .post('/admin/resources', {
        identifier: 'https://listed.example.com',
        name: 'Listed',
        client_policy: 'listed',
        listed_clients: [listed.clientId],
      })
      .expect(201);
    const refused = await token(worker, {
      grant_type: 'client_credentials',
      resource: 'https://listed.example.com',
    });
    expectOAuthError(refused, 400, 'invalid_target');
    expect(refused.body.error_description).toBe(
      'client may not request this resource (policy listed: the client is not listed)',
    );
    const ok = await token(listed, {
      grant_type: 'client_credentials',
      resource: 'https://listed.example.com',
    }).expect(200);
    expect(ok.body.scope).toBe('read');
    const unknown = await token(worker, {
      grant_type: 'client_credentials',
      resource: 'https://nowhere.example',
    });
    expectOAuthError(unknown, 400, 'invalid_target');
    expect(unknown.body.error_description).toBe('resource is not registered');
    await admin
      .patch(`/admin/resources/${created.body.id as string}`, { client_policy: 'first_party' })
      .expect(200);
    const firstParty = await token(listed, {
      grant_type: 'client_credentials',
      resource: 'https://listed.example.com',
    });
    expect(firstParty.body.error_description).toBe(
      'client may not request this resource (policy first_party)',
    );
  });

  it('R-AT-5/R-AT-8: a resource’s scopes go only with it; without resource they imply it; two resources’ scopes at once are invalid_scope', async () => {
    const created = await admin
      .post('/admin/resources', {
        identifier: 'https://reports2.example.com',
        name: 'Reports 2',
        scopes: [{ name: 'reports:read', description: 'Read reports' }],
        client_policy: 'any',
      })
      .expect(201);
    const wrong = await token(worker, {
      grant_type: 'client_credentials',
      scope: 'notes:read',
      resource: 'https://reports2.example.com',
    });
    expectOAuthError(wrong, 400, 'invalid_scope');
    expect(wrong.body.error_description).toMatch(
      /^scope notes:read belongs to resource http:\/\/127\.0\.0\.1:3000\/api/,
    );
    const implied = await token(worker, {
      grant_type: 'client_credentials',
      scope: 'notes:read read',
    }).expect(200);
    await apiGet('/api/notes', implied.body.access_token as string).expect(200);
    const both = await token(worker, { grant_type: 'client_credentials', scope: 'notes:read reports:read' });
    expectOAuthError(both, 400, 'invalid_scope');
    // The client's default scope spanning two resources: the token gets the unowned part only.
    const defaulted = await token(worker, { grant_type: 'client_credentials' }).expect(200);
    expect(defaulted.body.scope).toBe('read');
    await admin.delete(`/admin/resources/${created.body.id as string}`).expect(200);
  });

  // Another instance needs a store shared across processes (Redis); the in-process store is single-instance.
  (usingRedis() ? it : it.skip)(
    'a registry change reaches another instance’s cached catalog through Redis pub/sub within 1 s (needs REDIS_URL)',
    async () => {
      const created = await admin
        .post('/admin/resources', {
          identifier: 'https://replica.example.com',
          name: 'Replica',
          client_policy: 'listed',
        })
        .expect(201);
      const replica = await startSecondInstance(app);
      try {
        const ask = () =>
          request(replica.server)
            .post('/token')
            .type('form')
            .set('Authorization', basicAuth(worker.clientId, worker.secret))
            .send(
              form({
                grant_type: 'client_credentials',
                resource: 'https://replica.example.com',
                scope: 'read',
              }),
            );
        expect((await ask()).status).toBe(400); // warms the replica's catalog: worker is not listed
        await admin
          .patch(`/admin/resources/${created.body.id as string}`, { client_policy: 'any' })
          .expect(200);
        const changedAt = Date.now();
        let status = 0;
        while (Date.now() - changedAt < 1000 && status !== 200) {
          status = (await ask()).status;
        }
        expect(status).toBe(200);
      } finally {
        await replica.close();
      }
    },
  );

  it('R-AT-7: on refresh, a resource outside the grant blames the grant, not the client settings', async () => {
    const client = await createClient(app, {
      scope: 'notes:read',
      grantTypes: ['authorization_code', 'refresh_token'],
    });
    const { token: refreshToken } = await issueFamily(app, client.client, {
      scope: 'notes:read',
      resources: [API],
    });
    const res = await token(client, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      resource: 'https://listed.example.com',
    });
    expectOAuthError(res, 400, 'invalid_target');
    expect(res.body.error_description).toBe('the grant does not include this resource');
  });

  it('deleting a resource revokes the live grants that name it (documented); nothing else', async () => {
    const created = await admin
      .post('/admin/resources', {
        identifier: 'https://doomed.example.com',
        name: 'Doomed',
        client_policy: 'any',
      })
      .expect(201);
    const client = await createClient(app, {
      scope: 'read',
      grantTypes: ['authorization_code', 'refresh_token'],
    });
    const doomed = await issueFamily(app, client.client, {
      scope: 'read',
      resources: ['https://doomed.example.com'],
    });
    const kept = await issueFamily(app, client.client, { scope: 'read', resources: [API] });
    const deleted = await admin.delete(`/admin/resources/${created.body.id as string}`).expect(200);
    expect(deleted.body).toEqual({ revoked_grants: 1 });
    expectOAuthError(
      await token(client, { grant_type: 'refresh_token', refresh_token: doomed.token }),
      400,
      'invalid_grant',
    );
    await token(client, { grant_type: 'refresh_token', refresh_token: kept.token }).expect(200);
    await admin.delete(`/admin/resources/${created.body.id as string}`).expect(404);
  });

  it('R-REG-1/R-REG-7: open and initial-access-token registrations get tokens for the sample API; unknown scopes are dropped', async () => {
    const open = await request(app.publicServer)
      .post('/register')
      .send({
        client_name: 'open job',
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_post',
        scope: 'notes:read mcp:tools',
      })
      .expect(201);
    expect(open.body.scope).toBe('notes:read');
    const iat = (await admin.post('/admin/initial-access-tokens', { max_uses: 1 }).expect(201)).body
      .token as string;
    const trusted = await request(app.publicServer)
      .post('/register')
      .set('Authorization', `Bearer ${iat}`)
      .send({ client_name: 'trusted job', grant_types: ['client_credentials'], scope: 'notes:read' })
      .expect(201);
    // The open client authenticates in the body (as registered), the trusted one with Basic (the default).
    const viaBody = await request(app.publicServer)
      .post('/token')
      .type('form')
      .send(
        form({
          grant_type: 'client_credentials',
          resource: API,
          client_id: open.body.client_id as string,
          client_secret: open.body.client_secret as string,
        }),
      )
      .expect(200);
    await apiGet('/api/notes', viaBody.body.access_token as string).expect(200);
    const trustedClient = {
      clientId: trusted.body.client_id,
      secret: trusted.body.client_secret,
    } as TestClient;
    const viaBasic = await token(trustedClient, { grant_type: 'client_credentials', resource: API }).expect(
      200,
    );
    await apiGet('/api/notes', viaBasic.body.access_token as string).expect(200);
  });

  it('R-MCP-14: application_type drives the redirect rules (web: https; native: loopback or private-use schemes)', async () => {
    const reg = (body: object) => request(app.publicServer).post('/register').send(body);
    const web = await reg({ application_type: 'web', redirect_uris: ['http://127.0.0.1:8080/cb'] });
    expectOAuthError(web, 400, 'invalid_redirect_uri');
    await reg({ application_type: 'web', redirect_uris: ['https://app.example.com/cb'] }).expect(201);
    const native = await reg({
      application_type: 'native',
      redirect_uris: ['http://localhost:7777/cb', 'com.example.app:/cb'],
    }).expect(201);
    expect(native.body.application_type).toBe('native');
    expectOAuthError(
      await reg({ application_type: 'native', redirect_uris: ['http://app.example.com/cb'] }),
      400,
      'invalid_redirect_uri',
    );
    expectOAuthError(
      await reg({ application_type: 'desktop', redirect_uris: ['https://a.example/cb'] }),
      400,
      'invalid_client_metadata',
    );
  });

  it('R-CAUTH-5: invalid_client names both methods when the secret comes by another method', async () => {
    const res = await request(app.publicServer)
      .post('/token')
      .type('form')
      .send(
        form({ grant_type: 'client_credentials', client_id: worker.clientId, client_secret: worker.secret }),
      );
    expectOAuthError(res, 401, 'invalid_client');
    expect(res.body.error_description).toBe(
      'client is registered for token_endpoint_auth_method client_secret_basic, but the request used client_secret_post',
    );
  });

  describe('CORS (CORS_ORIGINS=*)', () => {
    const preflight = (path: string, method: string, headers?: string) => {
      const req = request(app.publicServer)
        .options(path)
        .set('Origin', 'https://spa.example')
        .set('Access-Control-Request-Method', method);
      return headers === undefined ? req : req.set('Access-Control-Request-Headers', headers);
    };

    it('R-TOK-14/R-MCP-17: preflights and answers on /token, /revoke, /register, RFC 7592, metadata and the sample API (401 included)', async () => {
      for (const [path, method] of [
        ['/token', 'POST'],
        ['/revoke', 'POST'],
        ['/register', 'POST'],
        ['/register/some-client', 'PUT'],
        ['/.well-known/oauth-protected-resource/api', 'GET'],
        ['/api/me', 'GET'],
      ] as const) {
        const res = await preflight(path, method, 'authorization, content-type, dpop').expect(204);
        expect(res.headers['access-control-allow-origin']).toBe('*');
        expect(res.headers['access-control-allow-credentials']).toBeUndefined();
        expect(String(res.headers['access-control-allow-methods'])).toContain(method);
      }
      const unauthorized = await request(app.publicServer)
        .get('/api/me')
        .set('Origin', 'https://spa.example')
        .expect(401);
      expect(unauthorized.headers['access-control-allow-origin']).toBe('*');
      expect(String(unauthorized.headers['access-control-expose-headers'])).toContain('WWW-Authenticate');
      const tokenError = await request(app.publicServer)
        .post('/token')
        .set('Origin', 'https://spa.example')
        .type('form')
        .send('');
      expect(tokenError.status).toBeLessThan(500);
      expect(tokenError.headers['access-control-allow-origin']).toBe('*');
    });

    it('odd preflights get a clear 4xx, never a 5xx; pages never answer CORS', async () => {
      const odd = [
        await preflight('/token', 'GET'),
        await preflight('/token', 'TRACE'),
        await preflight('/token', 'POST', 'x-evil-header'),
        await preflight('/token', 'POST', 'bad header(),{}'),
        await preflight('/register', 'POST', 'a,'.repeat(40)),
        await preflight('/register', '\u00e9\u00e9'),
      ];
      for (const res of odd) {
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('invalid_request');
        expect(res.body.error_description).toEqual(expect.any(String));
      }
      for (const path of ['/authorize', '/login', '/consent', '/account']) {
        const res = await request(app.publicServer).get(path).set('Origin', 'https://spa.example');
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
        const pre = await preflight(path, 'GET');
        expect(pre.headers['access-control-allow-origin']).toBeUndefined();
        expect(pre.status).toBeLessThan(500);
      }
      const adminAnswer = await request(app.adminServer)
        .options('/admin/resources')
        .set('Origin', 'https://spa.example')
        .set('Access-Control-Request-Method', 'GET');
      expect(adminAnswer.headers['access-control-allow-origin']).toBeUndefined();
      expect(adminAnswer.status).toBeLessThan(500);
    });
  });
});

describe('CORS_ORIGINS restricted to one origin', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ CORS_ORIGINS: 'https://app.example.com' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('echoes an allowed origin (Vary: Origin) and refuses other origins’ preflights with 403', async () => {
    const ok = await request(app.publicServer)
      .options('/token')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .expect(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(ok.headers.vary).toMatch(/Origin/);
    const refused = await request(app.publicServer)
      .options('/token')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST')
      .expect(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const jwks = await request(app.publicServer)
      .get('/jwks')
      .set('Origin', 'https://evil.example')
      .expect(200);
    expect(jwks.headers['access-control-allow-origin']).toBeUndefined();
  });
});
