import request from 'supertest';
import { codeRequest, createCodeClient, ISSUER, REDIRECT_URI } from '../support/authorize-flow.js';
import type { TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

describe('request objects at /authorize (RFC 9101)', () => {
  let app: TestApp;
  let client: TestClient;

  beforeAll(async () => {
    app = await createTestApp();
    client = await createCodeClient(app);
  });
  afterAll(async () => {
    await app.close();
  });

  async function errorRedirect(url: string, state: string): Promise<URLSearchParams> {
    const res = await request(app.publicServer).get(url);
    expect(res.status).toBe(302);
    const location = res.headers.location as string;
    expect(location.startsWith(REDIRECT_URI)).toBe(true);
    const params = new URL(location).searchParams;
    expect(params.get('state')).toBe(state);
    expect(params.get('iss')).toBe(ISSUER);
    expect(params.get('code')).toBeNull();
    return params;
  }

  it('#16 item 11: a request parameter is answered request_not_supported, not ignored', async () => {
    const req = codeRequest(client.clientId, { request: 'eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9.' });
    const params = await errorRedirect(req.url, req.state);
    expect(params.get('error')).toBe('request_not_supported');
  });

  it('#16 item 11: a request_uri the server did not issue is answered request_uri_not_supported', async () => {
    const req = codeRequest(client.clientId, { request_uri: 'https://client.example/request.jwt' });
    const params = await errorRedirect(req.url, req.state);
    expect(params.get('error')).toBe('request_uri_not_supported');
  });
});
