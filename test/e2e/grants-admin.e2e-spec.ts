import request from 'supertest';
import { basicAuth, createClient, form, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { expectOAuthError } from '../support/oauth-assertions.js';
import { issueFamily } from '../support/refresh-tokens.js';

describe('admin grants API (/admin/grants)', () => {
  let app: TestApp;
  let a: TestClient;
  let b: TestClient;

  beforeAll(async () => {
    app = await createTestApp();
    a = await createClient(app);
    b = await createClient(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const admin = (method: 'get' | 'delete', path: string) =>
    request(app.adminServer)[method](path).set('Authorization', `Bearer ${app.adminToken}`);
  const refresh = (client: TestClient, token: string) =>
    request(app.publicServer)
      .post('/token')
      .type('form')
      .set('Authorization', basicAuth(client.clientId, client.secret))
      .send(form({ grant_type: 'refresh_token', refresh_token: token }));

  it('lists active grants by client and by owner, paginated', async () => {
    for (let i = 0; i < 3; i++) {
      await issueFamily(app, a.client, { ownerId: 'alice' });
    }
    await issueFamily(app, b.client, { ownerId: 'alice' });
    await issueFamily(app, b.client, { ownerId: 'bob' });

    const page1 = await admin('get', `/admin/grants?client_id=${a.clientId}&limit=2`).expect(200);
    expect(page1.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.data[0]).toEqual({
      id: expect.any(String),
      client_id: a.clientId,
      owner_id: 'alice',
      consent_grant_id: null,
      scope: 'read write',
      resources: ['https://api.example.com'],
      created_at: expect.any(String),
      expires_at: expect.any(String),
    });
    const page2 = await admin('get', `/admin/grants?client_id=${a.clientId}&limit=2&offset=2`).expect(200);
    expect(page2.body.data).toHaveLength(1);
    const ids = [...page1.body.data, ...page2.body.data].map((g: { id: string }) => g.id);
    expect(new Set(ids).size).toBe(3);

    const alice = await admin('get', '/admin/grants?owner_id=alice').expect(200);
    expect(alice.body.total).toBe(4);
    const both = await admin('get', `/admin/grants?owner_id=alice&client_id=${b.clientId}`).expect(200);
    expect(both.body.total).toBe(1);
  });

  it('DELETE /admin/grants/:id revokes one grant (its refresh tokens stop working); unknown → 404', async () => {
    const { token, familyId } = await issueFamily(app, a.client, { ownerId: 'carol' });
    await admin('delete', `/admin/grants/${familyId}`).expect(204);
    expectOAuthError(await refresh(a, token), 400, 'invalid_grant');
    const listed = await admin('get', '/admin/grants?owner_id=carol').expect(200);
    expect(listed.body.total).toBe(0);
    expectOAuthError(await admin('delete', '/admin/grants/no-such-grant'), 404, 'not_found');
  });

  it('R-RT-13: DELETE /admin/grants?owner_id= logs an owner out everywhere', async () => {
    const first = await issueFamily(app, a.client, { ownerId: 'dave' });
    const second = await issueFamily(app, b.client, { ownerId: 'dave' });
    const untouched = await issueFamily(app, a.client, { ownerId: 'erin' });
    const res = await admin('delete', '/admin/grants?owner_id=dave').expect(200);
    expect(res.body).toEqual({ revoked: 2 });
    expectOAuthError(await refresh(a, first.token), 400, 'invalid_grant');
    expectOAuthError(await refresh(b, second.token), 400, 'invalid_grant');
    await refresh(a, untouched.token).expect(200);
  });

  it('rejects a filterless mass revocation, bad paging, unknown fields and missing credentials', async () => {
    expectOAuthError(await admin('delete', '/admin/grants'), 400, 'invalid_request');
    expectOAuthError(await admin('get', '/admin/grants?limit=1000'), 400, 'invalid_request');
    expectOAuthError(await admin('get', '/admin/grants?foo=bar'), 400, 'invalid_request');
    await request(app.adminServer).get('/admin/grants').expect(401);
    await request(app.publicServer).get('/admin/grants').expect(404);
  });
});
