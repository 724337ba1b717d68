import request from 'supertest';
import { adminRequest } from '../support/admin-request.js';
import {
  assertionKey,
  clientAssertion,
  JWT_BEARER,
  type AssertionKey,
} from '../support/client-assertions.js';
import { createClient, form } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { expectOAuthError } from '../support/oauth-assertions.js';
import {
  selfSignedCert,
  startHttpsServer,
  type SelfSignedCert,
  type TestHttpsServer,
} from '../support/self-signed-https.js';

const BLOCKED_JWKS_URIS = [
  'https://127.0.0.1:6379/',
  'https://0x7f000001/jwks',
  'https://2130706433/jwks',
  'https://127.1/jwks',
  'https://[::1]/jwks',
  'https://[::ffff:127.0.0.1]/jwks',
  'https://[fe80::1]/jwks',
  'https://169.254.169.254/latest/meta-data',
  'https://10.0.0.1/jwks',
  'https://localhost/jwks',
];

/** jwks_uri of private_key_jwt clients goes through the SSRF-safe fetcher (override off). */
describe('jwks_uri SSRF protection (R-MCP-7, R-CAUTH-10)', () => {
  let app: TestApp;
  let cert: SelfSignedCert;
  let keyServer: TestHttpsServer;
  let key: AssertionKey;
  let hits = 0;

  beforeAll(async () => {
    key = await assertionKey('ES256');
    cert = selfSignedCert();
    keyServer = await startHttpsServer(cert, (_req, res) => {
      hits++;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: [key.publicJwk] }));
    });
    // The extra CA is trusted, so only the address policy can refuse the key server.
    app = await createTestApp({ REGISTRATION_POLICY: 'token', OUTBOUND_CA_FILE: cert.certFile });
  });
  afterAll(async () => {
    await app.close();
    await keyServer.close();
    cert.remove();
  });

  it.each(BLOCKED_JWKS_URIS)(
    'R-MCP-7: the admin API refuses a private_key_jwt client with jwks_uri %s (400 invalid_client_metadata)',
    async (jwksUri) => {
      const res = await adminRequest(app).post('/admin/clients', {
        client_name: 'probe',
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: jwksUri,
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_client_metadata');
      expect(res.body.error_description).toMatch(/^jwks_uri: /);
    },
  );

  it('R-MCP-7: dynamic registration refuses a loopback jwks_uri (400 invalid_client_metadata)', async () => {
    const iat = await adminRequest(app).post('/admin/initial-access-tokens', {}).expect(201);
    for (const jwksUri of ['https://0x7f000001/jwks', `https://[::1]:${keyServer.port}/jwks`]) {
      const res = await request(app.publicServer)
        .post('/register')
        .set('Authorization', `Bearer ${iat.body.token as string}`)
        .send({
          redirect_uris: ['https://app.example.com/cb'],
          token_endpoint_auth_method: 'private_key_jwt',
          jwks_uri: jwksUri,
        });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_client_metadata');
      expect(res.body.error_description).toMatch(/^jwks_uri: /);
    }
    // A host name passes registration; it is vetted after resolution whenever keys are fetched.
    const named = await adminRequest(app).post('/admin/clients', {
      client_name: 'named',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: 'https://keys.example.com/jwks',
    });
    expect(named.status).toBe(201);
  });

  it('R-MCP-7: a client stored with a loopback jwks_uri is refused at the token endpoint (401, no fetch, no 5xx)', async () => {
    for (const jwksUri of [`${keyServer.origin}/jwks`, `https://localhost:${keyServer.port}/jwks`]) {
      const client = await createClient(app, { tokenEndpointAuthMethod: 'private_key_jwt', jwksUri });
      const before = hits;
      const res = await request(app.publicServer)
        .post('/token')
        .type('form')
        .send(
          form({
            grant_type: 'client_credentials',
            client_assertion_type: JWT_BEARER,
            client_assertion: await clientAssertion(key, client.clientId, app.shared.config.issuer),
          }),
        );
      expectOAuthError(res, 401, 'invalid_client');
      expect(res.body.error_description).toMatch(/jwks_uri/);
      expect(hits).toBe(before);
    }
  });
});
