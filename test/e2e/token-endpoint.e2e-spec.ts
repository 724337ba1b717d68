import request from 'supertest';
import { basicAuth, createClient, form, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

describe('POST /token (shared steps, client_credentials)', () => {
  let app: TestApp;
  let conf: TestClient;

  beforeAll(async () => {
    app = await createTestApp();
    conf = await createClient(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const token = (body: string, auth?: string) => {
    const req = request(app.publicServer).post('/token').type('form');
    return (auth ? req.set('Authorization', auth) : req).send(body);
  };

  it('R-TOK-8: client_credentials returns a bearer token with expires_in and scope', async () => {
    const res = await token(
      form({ grant_type: 'client_credentials' }),
      basicAuth(conf.clientId, conf.secret),
    ).expect(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: expect.any(Number),
      scope: 'read write',
    });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['pragma']).toBe('no-cache');
  });
});
