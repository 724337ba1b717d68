import request from 'supertest';
import { OwnersService } from '../../src/owners/owners.service.js';
import {
  createCodeClient,
  createOwner,
  exchangeCode,
  obtainCode,
  REDIRECT_URI,
} from '../support/authorize-flow.js';
import { parseBearerChallenge } from '../support/bearer-challenge.js';
import { basicAuth, createClient, form, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

const ISSUER = 'http://127.0.0.1:3000';
const AUDIENCE = `${ISSUER}/api`;
const METADATA_URL = `${ISSUER}/.well-known/oauth-protected-resource/api`;
const RS_CLIENT = { clientId: 'sample-api-rs', secret: 'sample-api-introspection-secret-0123456789' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sample protected API (/api) on Tessera', () => {
  let app: TestApp;
  let worker: TestClient;

  beforeAll(async () => {
    app = await createTestApp({
      ISSUER,
      SAMPLE_API_CLIENT_ID: RS_CLIENT.clientId,
      SAMPLE_API_CLIENT_SECRET: RS_CLIENT.secret,
    });
    worker = await createClient(app, {
      scope: 'notes:read notes:write profile',
      allowedResources: [AUDIENCE],
      accessTokenTtl: 3,
    });
    await createClient(app, {
      clientId: RS_CLIENT.clientId,
      secret: RS_CLIENT.secret,
      canIntrospect: true,
      grantTypes: [],
      allowedResources: [AUDIENCE],
    });
  });
  afterAll(async () => {
    await app.close();
  });

  const api = () => request(app.publicServer);
  const tokenRequest = (client: TestClient, params: Record<string, string>) =>
    api()
      .post('/token')
      .type('form')
      .set('Authorization', basicAuth(client.clientId, client.secret))
      .send(form(params));
  const clientCredentials = async (client: TestClient, scope: string): Promise<string> => {
    const res = await tokenRequest(client, { grant_type: 'client_credentials', scope, resource: AUDIENCE });
    expect(res.status).toBe(200);
    return res.body.access_token as string;
  };

  it('R-RS-12: serves RFC 9728 metadata for the sample API', async () => {
    const res = await api().get('/.well-known/oauth-protected-resource/api').expect(200);
    expect(res.body).toEqual({
      resource: AUDIENCE,
      authorization_servers: [ISSUER],
      bearer_methods_supported: ['header'],
      scopes_supported: ['profile', 'email', 'notes:read', 'notes:write'],
      resource_name: 'Tessera sample API',
    });
  });

  it('R-RS-8/R-RS-13: /api/notes without a token → 401 challenge with resource_metadata', async () => {
    const res = await api().get('/api/notes').expect(401);
    expect(parseBearerChallenge(res.headers['www-authenticate'])).toEqual({
      realm: AUDIENCE,
      resource_metadata: METADATA_URL,
    });
  });

  it('the module guard covers only the sample API: OAuth endpoints and health are untouched', async () => {
    await api().get('/health/live').expect(200);
    await api().get('/jwks').expect(200);
    const res = await tokenRequest(worker, {
      grant_type: 'client_credentials',
      scope: 'notes:read',
      resource: AUDIENCE,
    });
    expect(res.status).toBe(200);
    const unknown = await api().get('/no-such-route').expect(404);
    expect(unknown.headers['www-authenticate']).toBeUndefined();
  });

  it('Figure 2 (client_credentials): token → /api/notes CRUD → invalid_token after expiry → new token works', async () => {
    const token = await clientCredentials(worker, 'notes:read notes:write');
    const auth = `Bearer ${token}`;
    const created = await api()
      .post('/api/notes')
      .set('Authorization', auth)
      .send({ title: 'first', body: 'hello' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await api()
      .get('/api/notes')
      .set('Authorization', auth)
      .expect(200)
      .expect((res) => expect(res.body.notes.map((n: { id: string }) => n.id)).toEqual([id]));
    await api().patch(`/api/notes/${id}`).set('Authorization', auth).send({ body: 'edited' }).expect(200);
    await api()
      .get(`/api/notes/${id}`)
      .set('Authorization', auth)
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ title: 'first', body: 'edited' }));
    const second = await api()
      .post('/api/notes')
      .set('Authorization', auth)
      .send({ title: 'second' })
      .expect(201);
    // The list (fixed SQL on PostgreSQL) hydrates every field, oldest first.
    const listed = await api().get('/api/notes').set('Authorization', auth).expect(200);
    expect(listed.body.notes).toEqual([
      await api()
        .get(`/api/notes/${id}`)
        .set('Authorization', auth)
        .then((r) => r.body),
      second.body,
    ]);

    await sleep(4200); // accessTokenTtl 3 s (the sample API shares Tessera's clock: no leeway)
    const expired = await api().get('/api/notes').set('Authorization', auth).expect(401);
    expect(parseBearerChallenge(expired.headers['www-authenticate'])).toMatchObject({
      error: 'invalid_token',
      error_description: 'the access token has expired',
      resource_metadata: METADATA_URL,
    });

    const fresh = `Bearer ${await clientCredentials(worker, 'notes:read notes:write')}`;
    await api().delete(`/api/notes/${id}`).set('Authorization', fresh).expect(204);
    await api().get(`/api/notes/${id}`).set('Authorization', fresh).expect(404);
  });

  it('R-RS-10: notes:read cannot write → 403 insufficient_scope scope="notes:write"', async () => {
    const reader = `Bearer ${await clientCredentials(worker, 'notes:read')}`;
    const res = await api().post('/api/notes').set('Authorization', reader).send({ title: 'x' }).expect(403);
    expect(parseBearerChallenge(res.headers['www-authenticate'])).toMatchObject({
      error: 'insufficient_scope',
      scope: 'notes:write',
    });
  });

  it('R-RS-3/R-AT-10: a token for another audience is refused', async () => {
    const other = await createClient(app, {
      scope: 'notes:read',
      allowedResources: ['https://elsewhere.example'],
    });
    const res = await tokenRequest(other, {
      grant_type: 'client_credentials',
      scope: 'notes:read',
      resource: 'https://elsewhere.example',
    });
    const rejected = await api()
      .get('/api/notes')
      .set('Authorization', `Bearer ${res.body.access_token}`)
      .expect(401);
    expect(parseBearerChallenge(rejected.headers['www-authenticate']).error).toBe('invalid_token');
    // Without resource and without a scope of a registered resource, aud is the issuer, not the API.
    const plain = await createClient(app, { scope: 'read' });
    const noResource = await tokenRequest(plain, { grant_type: 'client_credentials' });
    expect(noResource.status).toBe(200);
    await api().get('/api/notes').set('Authorization', `Bearer ${noResource.body.access_token}`).expect(401);
    // R-AT-8: without resource, the API's own scope implies the API as the audience.
    const implied = await tokenRequest(worker, { grant_type: 'client_credentials', scope: 'notes:read' });
    await api().get('/api/notes').set('Authorization', `Bearer ${implied.body.access_token}`).expect(200);
  });

  it('validation errors and unknown notes go through Tessera’s own error filter', async () => {
    const writer = `Bearer ${await clientCredentials(worker, 'notes:read notes:write')}`;
    const bad = await api().post('/api/notes').set('Authorization', writer).send({ title: '' }).expect(400);
    expect(bad.body.error).toBe('invalid_request');
    const missing = await api().get('/api/notes/not-a-uuid').set('Authorization', writer).expect(404);
    expect(missing.body).toEqual({ error: 'not_found', error_description: 'note not found' });
  });

  it('Figure 2 (authorization code): /api/me and per-owner notes; expiry → invalid_token; refresh → works again', async () => {
    const owner = await createOwner(app);
    await app.publicApp
      .get(OwnersService, { strict: false })
      .update(owner.id, { displayName: 'Alice', email: 'alice@example.test' });
    const webApp = await createCodeClient(app, {
      scope: 'profile email notes:read notes:write',
      allowedResources: [AUDIENCE],
      accessTokenTtl: 3,
    });
    const { code, verifier } = await obtainCode(app, webApp, owner, {
      scope: 'profile notes:read notes:write',
      resource: AUDIENCE,
    });
    const exchanged = await exchangeCode(app, webApp, {
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
      resource: AUDIENCE,
    }).expect(200);
    let tokens = exchanged.body as { access_token: string; refresh_token: string };
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const bearer = () => `Bearer ${tokens.access_token}`;

    const me = await api().get('/api/me').set('Authorization', bearer()).expect(200);
    expect(me.body).toEqual({ sub: owner.id, username: owner.username, name: 'Alice' }); // no email scope
    await api().post('/api/notes').set('Authorization', bearer()).send({ title: 'alice note' }).expect(201);

    // Another subject does not see the owner's notes.
    const workerToken = await clientCredentials(worker, 'notes:read');
    const theirs = await api().get('/api/notes').set('Authorization', `Bearer ${workerToken}`).expect(200);
    expect(theirs.body.notes.some((n: { title: string }) => n.title === 'alice note')).toBe(false);

    await sleep(4200);
    const expired = await api().get('/api/me').set('Authorization', bearer()).expect(401);
    expect(parseBearerChallenge(expired.headers['www-authenticate']).error).toBe('invalid_token');

    const refreshed = await tokenRequest(webApp, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      resource: AUDIENCE,
    }).expect(200);
    tokens = refreshed.body as typeof tokens;
    const notes = await api().get('/api/notes').set('Authorization', bearer()).expect(200);
    expect(notes.body.notes.map((n: { title: string }) => n.title)).toEqual(['alice note']);
    await api().get('/api/me').set('Authorization', bearer()).expect(200);
  });

  it('/api/me with a client_credentials token (no owner) → 404, not a 5xx', async () => {
    const token = await clientCredentials(worker, 'profile');
    await api().get('/api/me').set('Authorization', `Bearer ${token}`).expect(404);
  });

  it('R-RS-9 (introspection): an opaque token is introspected; once revoked → invalid_token', async () => {
    const opaque = await createClient(app, {
      scope: 'notes:read',
      allowedResources: [AUDIENCE],
      accessTokenFormat: 'opaque',
    });
    const revoke = (token: string) =>
      api()
        .post('/revoke')
        .type('form')
        .set('Authorization', basicAuth(opaque.clientId, opaque.secret))
        .send(form({ token }))
        .expect(200);
    const token = await clientCredentials(opaque, 'notes:read');
    expect(token.split('.')).toHaveLength(1);
    await api().get('/api/notes').set('Authorization', `Bearer ${token}`).expect(200);
    // A revoked token the sample API has not cached yet is refused at once (the positive cache
    // may keep an already-seen token for at most its TTL, never past exp: R-REV-9).
    const revoked = await clientCredentials(opaque, 'notes:read');
    await revoke(revoked);
    const res = await api().get('/api/notes').set('Authorization', `Bearer ${revoked}`).expect(401);
    expect(parseBearerChallenge(res.headers['www-authenticate']).error).toBe('invalid_token');
  });
});

describe('sample API across a signing-key rotation at Tessera', () => {
  let app: TestApp;
  let worker: TestClient;
  beforeAll(async () => {
    app = await createTestApp({ ISSUER, KEY_PUBLISH_LEAD_TIME: '2' });
    worker = await createClient(app, { scope: 'notes:read', allowedResources: [AUDIENCE] });
  });
  afterAll(async () => {
    await app.close();
  });

  const token = async (): Promise<string> => {
    const res = await request(app.publicServer)
      .post('/token')
      .type('form')
      .set('Authorization', basicAuth(worker.clientId, worker.secret))
      .send(form({ grant_type: 'client_credentials', scope: 'notes:read', resource: AUDIENCE }))
      .expect(200);
    return res.body.access_token as string;
  };
  const kidOf = (jwt: string): string =>
    (JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;
  const notes = (jwt: string) =>
    request(app.publicServer).get('/api/notes').set('Authorization', `Bearer ${jwt}`);

  it('R-AT-12: tokens of the old and the new key both validate after a rotation', async () => {
    const before = await token();
    await notes(before).expect(200); // JWKS fetched and cached by the sample API
    await request(app.adminServer)
      .post('/admin/keys/rotate')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .expect(201);
    await sleep(2500); // KEY_PUBLISH_LEAD_TIME: the new key starts signing
    const after = await token();
    expect(kidOf(after)).not.toBe(kidOf(before));
    await notes(after).expect(200);
    await notes(before).expect(200);
  });
});
