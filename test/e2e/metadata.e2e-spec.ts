import request from 'supertest';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

const ISSUER = 'http://127.0.0.1:3000';
const OAUTH = '/.well-known/oauth-authorization-server';
const OIDC = '/.well-known/openid-configuration';

type Metadata = Record<string, unknown>;

describe('authorization server metadata (RFC 8414)', () => {
  let app: TestApp;
  let metadata: Metadata;

  beforeAll(async () => {
    app = await createTestApp({ SERVICE_DOCUMENTATION: 'https://docs.example.com/tessera' });
    metadata = (await request(app.publicServer).get(OAUTH).expect(200)).body as Metadata;
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-META-1: served with GET at /.well-known/oauth-authorization-server as 200 application/json', async () => {
    const res = await request(app.publicServer).get(OAUTH).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(typeof res.body).toBe('object');
  });

  it('R-META-2: issuer is exactly the configured issuer, without query or fragment', () => {
    expect(metadata.issuer).toBe(ISSUER);
    expect(String(metadata.issuer)).not.toMatch(/[?#]/);
  });

  it('R-META-3: authorization_endpoint, token_endpoint and response_types_supported ["code"]', () => {
    expect(metadata.authorization_endpoint).toBe(`${ISSUER}/authorize`);
    expect(metadata.token_endpoint).toBe(`${ISSUER}/token`);
    expect(metadata.response_types_supported).toEqual(['code']);
  });

  it('R-META-4: grant_types_supported is explicit and has no implicit or password', () => {
    expect(metadata.grant_types_supported).toEqual([
      'authorization_code',
      'refresh_token',
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:device_code',
      'urn:ietf:params:oauth:grant-type:token-exchange',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ]);
  });

  it('R-DEV-1: device_authorization_endpoint is advertised with the device_code grant', () => {
    expect(metadata.device_authorization_endpoint).toBe(`${metadata.issuer as string}/device_authorization`);
  });

  it('R-META-5: token_endpoint_auth_methods_supported lists exactly the R-CAUTH methods', () => {
    expect(metadata.token_endpoint_auth_methods_supported).toEqual([
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
      'none',
    ]);
  });

  it('R-META-6: signing algs present for private_key_jwt on token, revocation and introspection; asymmetric only', () => {
    for (const endpoint of ['token', 'revocation', 'introspection']) {
      expect(metadata[`${endpoint}_endpoint_auth_methods_supported`]).toContain('private_key_jwt');
      const algs = metadata[`${endpoint}_endpoint_auth_signing_alg_values_supported`] as string[];
      expect(algs.length).toBeGreaterThan(0);
      expect(algs).toContain('ES256');
      expect(algs).toContain('RS256');
      for (const alg of algs) {
        expect(alg).not.toBe('none');
        expect(alg).not.toMatch(/^HS/);
      }
    }
  });

  it('R-META-7: code_challenge_methods_supported is ["S256"]', () => {
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('R-META-8: jwks_uri, scopes, revocation, introspection and registration endpoints with auth methods', async () => {
    expect(metadata.jwks_uri).toBe(`${ISSUER}/jwks`);
    expect(metadata.scopes_supported).toEqual([
      'openid',
      'profile',
      'email',
      'offline_access',
      'notes:read',
      'notes:write',
    ]);
    expect(metadata.revocation_endpoint).toBe(`${ISSUER}/revoke`);
    expect(metadata.introspection_endpoint).toBe(`${ISSUER}/introspect`);
    expect(metadata.registration_endpoint).toBe(`${ISSUER}/register`);
    expect(metadata.revocation_endpoint_auth_methods_supported).toEqual(
      metadata.token_endpoint_auth_methods_supported,
    );
    // Introspection requires an authenticated confidential client.
    expect(metadata.introspection_endpoint_auth_methods_supported).not.toContain('none');
    expect(metadata.service_documentation).toBe('https://docs.example.com/tessera');
    // The advertised jwks_uri path answers with keys.
    const jwks = await request(app.publicServer)
      .get(new URL(String(metadata.jwks_uri)).pathname)
      .expect(200);
    expect((jwks.body as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
  });

  it('R-META-9/R-MCP-15: authorization_response_iss_parameter_supported is true (RFC 9207)', () => {
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
  });

  it('R-META-10: no member is an empty array', () => {
    for (const value of Object.values(metadata)) {
      if (Array.isArray(value)) {
        expect(value.length).toBeGreaterThan(0);
      }
    }
  });

  it('R-META-11, R-MCP-2, R-MCP-3: /.well-known/openid-configuration is the same document, with S256', async () => {
    const oidc = await request(app.publicServer).get(OIDC).expect(200);
    expect(oidc.headers['content-type']).toMatch(/^application\/json/);
    expect(oidc.body).toEqual(metadata);
    expect((oidc.body as Metadata).code_challenge_methods_supported).toContain('S256');
  });

  it('R-META-12: CORS allowed and cacheable for a few minutes on metadata and JWKS; no secrets', async () => {
    for (const path of [OAUTH, OIDC, '/jwks']) {
      const res = await request(app.publicServer).get(path).set('Origin', 'https://spa.example').expect(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['cache-control']).toMatch(/^public, max-age=(\d+)$/);
      const maxAge = Number(/max-age=(\d+)/.exec(String(res.headers['cache-control']))?.[1]);
      expect(maxAge).toBeGreaterThanOrEqual(60);
      expect(maxAge).toBeLessThanOrEqual(600);
      const preflight = await request(app.publicServer)
        .options(path)
        .set('Origin', 'https://spa.example')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'mcp-protocol-version');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
    }
    expect(JSON.stringify(metadata)).not.toMatch(/secret-0123|test-key-encryption|"d":/);
  });

  it('R-META-1: path-suffixed metadata URLs answer 404 for an issuer without a path', async () => {
    await request(app.publicServer).get(`${OAUTH}/other`).expect(404);
    await request(app.publicServer).get(`${OIDC}/other`).expect(404);
  });
});

describe('metadata for an issuer with a path (RFC 8414 §3.1)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({
      ISSUER: 'https://as.example.com/tenant1',
      COOKIE_SECRET: 'metadata-test-cookie-secret-0123456789abcdef',
      REGISTRATION_POLICY: 'disabled',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-META-1, R-MCP-2: served at the path-insertion URLs, endpoints under the issuer', async () => {
    for (const path of [`${OAUTH}/tenant1`, `${OIDC}/tenant1`, OAUTH, OIDC]) {
      const res = await request(app.publicServer).get(path).expect(200);
      const body = res.body as Metadata;
      expect(body.issuer).toBe('https://as.example.com/tenant1');
      expect(body.token_endpoint).toBe('https://as.example.com/tenant1/token');
      expect(body.code_challenge_methods_supported).toEqual(['S256']);
    }
    await request(app.publicServer).get(`${OAUTH}/tenant2`).expect(404);
  });

  it('R-META-8: advertises only what is enabled (no registration_endpoint when registration is disabled)', async () => {
    const body = (await request(app.publicServer).get(OAUTH).expect(200)).body as Metadata;
    expect(body).not.toHaveProperty('registration_endpoint');
    expect(body).not.toHaveProperty('service_documentation');
  });
});
