import { generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { KeysService } from '../../src/keys/keys.service.js';
import { adminRequest } from '../support/admin-request.js';
import {
  callbackParams,
  codeRequest,
  createCodeClient,
  createOwner,
  exchangeCode,
  obtainCode,
  REDIRECT_URI,
  type TestOwner,
} from '../support/authorize-flow.js';
import type { TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { UserAgent } from '../support/user-agent.js';

const ISSUER = 'http://127.0.0.1:3000';
const LOGGED_OUT = 'https://client.example/logged-out';

/** The issue's bad-input list: the specified error, never a 5xx, never a redirect to an unregistered URI. */
describe('OpenID Connect bad input', () => {
  let app: TestApp;
  let owner: TestOwner;
  let rp: TestClient;
  let idToken: string;

  beforeAll(async () => {
    app = await createTestApp();
    owner = await createOwner(app);
    rp = await createCodeClient(app, {
      firstParty: true,
      metadata: { post_logout_redirect_uris: [LOGGED_OUT] },
    });
    const { code, verifier } = await obtainCode(app, rp, owner);
    const res = await exchangeCode(app, rp, { code, code_verifier: verifier, redirect_uri: REDIRECT_URI });
    idToken = (res.body as { id_token: string }).id_token;
  });
  afterAll(async () => {
    await app.close();
  });

  async function authorizeError(extra: Record<string, string>, ua = new UserAgent(app.publicServer)) {
    const req = codeRequest(rp.clientId, extra);
    const res = await ua.get(req.url);
    expect(res.status).toBe(302);
    expect(res.location?.startsWith(REDIRECT_URI)).toBe(true);
    const params = callbackParams(res);
    expect(params.get('state')).toBe(req.state);
    expect(params.get('iss')).toBe(ISSUER);
    return params.get('error');
  }

  it('R-OIDC-4: a nonce over 512 characters is invalid_request; 512 is accepted', async () => {
    expect(await authorizeError({ nonce: 'n'.repeat(513) })).toBe('invalid_request');
    const res = await new UserAgent(app.publicServer).get(
      codeRequest(rp.clientId, { nonce: 'n'.repeat(512) }).url,
    );
    expect(res.status).toBe(302);
    expect(res.location).toContain('/login?req=');
  });

  it('R-OIDC-6: max_age negative or non-numeric is invalid_request', async () => {
    for (const maxAge of ['-1', 'abc', '1.5']) {
      expect(await authorizeError({ max_age: maxAge })).toBe('invalid_request');
    }
  });

  it('R-OIDC-5: prompt=none combined with login is invalid_request', async () => {
    expect(await authorizeError({ prompt: 'none login' })).toBe('invalid_request');
  });

  it('OIDC Core §5.5: claims that is not a JSON object is invalid_request; a valid one is ignored', async () => {
    expect(await authorizeError({ claims: '{"userinfo": ' })).toBe('invalid_request');
    expect(await authorizeError({ claims: '[1,2]' })).toBe('invalid_request');
    const ok = await new UserAgent(app.publicServer).get(
      codeRequest(rp.clientId, { claims: '{"userinfo":{"email":{"essential":true}}}' }).url,
    );
    expect(ok.location).toContain('/login?req=');
  });

  it('R-OIDC-6: id_token_hint signed by another key, expired, or issued to another client is invalid_request', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ sub: owner.id, aud: rp.clientId })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'forged' })
      .setIssuer(ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    const signer = app.publicApp.get(KeysService).signerFor('ES256').withType('JWT');
    const expired = signer.sign({
      iss: ISSUER,
      sub: owner.id,
      aud: rp.clientId,
      iat: now - 7200,
      exp: now - 3600,
    });
    const other = signer.sign({
      iss: ISSUER,
      sub: owner.id,
      aud: 'another-client',
      iat: now,
      exp: now + 600,
    });
    for (const hint of [forged, expired, other, 'not-a-jwt']) {
      expect(await authorizeError({ id_token_hint: hint })).toBe('invalid_request');
    }
  });

  it('R-OIDC-6: with prompt=none, an id_token_hint for another owner than the signed-in one is login_required', async () => {
    const { ua } = await obtainCode(app, rp, owner); // a browser with a session of `owner`
    const someone = await createOwner(app);
    const now = Math.floor(Date.now() / 1000);
    const hint = app.publicApp
      .get(KeysService)
      .signerFor('ES256')
      .withType('JWT')
      .sign({ iss: ISSUER, sub: someone.id, aud: rp.clientId, iat: now, exp: now + 600 });
    expect(await authorizeError({ prompt: 'none', id_token_hint: hint }, ua)).toBe('login_required');
    // The matching hint goes through without a page.
    const req = codeRequest(rp.clientId, { prompt: 'none', id_token_hint: idToken });
    expect(callbackParams(await ua.get(req.url)).get('code')).toBeTruthy();
  });

  it('R-OIDC-10: an unregistered post_logout_redirect_uri is an error page, never a redirect', async () => {
    for (const query of [
      { id_token_hint: idToken, post_logout_redirect_uri: 'https://evil.example/' },
      { client_id: rp.clientId, post_logout_redirect_uri: `${LOGGED_OUT}/x` },
      { post_logout_redirect_uri: LOGGED_OUT }, // no client identified
      { id_token_hint: 'garbage', post_logout_redirect_uri: LOGGED_OUT },
      { id_token_hint: idToken, client_id: 'another-client', post_logout_redirect_uri: LOGGED_OUT },
    ]) {
      const res = await request(app.publicServer).get('/end-session').query(query);
      expect(res.status).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    }
    // Without a session, a valid request goes straight back with state (nothing to confirm).
    const ok = await request(app.publicServer)
      .post('/end-session')
      .type('form')
      .send({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: 'xyz' })
      .expect(303);
    expect(ok.headers.location).toBe(`${LOGGED_OUT}?state=xyz`);
  });

  it('R-OIDC-10: a forged confirmation (bad CSRF or unknown request) signs nobody out', async () => {
    const res = await request(app.publicServer)
      .post('/end-session/confirm')
      .type('form')
      .send({ req: 'A'.repeat(43), csrf: 'x', decision: 'yes' });
    expect(res.status).toBe(400);
  });

  it('R-OIDC-13: the admin API accepts and echoes OIDC client metadata, and validates it', async () => {
    const base = {
      client_name: 'OIDC client',
      redirect_uris: ['https://rp.example/cb'],
      grant_types: ['authorization_code', 'refresh_token'],
    };
    const oidc = {
      post_logout_redirect_uris: ['https://rp.example/bye'],
      backchannel_logout_uri: 'https://rp.example/backchannel',
      backchannel_logout_session_required: true,
      id_token_signed_response_alg: 'RS256',
      userinfo_signed_response_alg: 'ES256',
      default_max_age: 3600,
      require_auth_time: true,
    };
    const created = await adminRequest(app)
      .post('/admin/clients', { ...base, ...oidc })
      .expect(201);
    expect(created.body).toMatchObject(oidc);
    for (const [bad, error] of [
      [{ post_logout_redirect_uris: ['http://evil.example/bye'] }, 'invalid_redirect_uri'],
      [{ post_logout_redirect_uris: ['https://rp.example/bye#frag'] }, 'invalid_redirect_uri'],
      [{ backchannel_logout_uri: 'ftp://rp.example/x' }, 'invalid_client_metadata'],
      [{ id_token_signed_response_alg: 'none' }, 'invalid_client_metadata'],
      [{ id_token_signed_response_alg: 'HS256' }, 'invalid_client_metadata'],
      [{ default_max_age: -1 }, 'invalid_client_metadata'],
    ] as const) {
      const res = await adminRequest(app).post('/admin/clients', { ...base, ...bad });
      expect(res.status).toBe(400);
      expect([error, 'invalid_request']).toContain((res.body as { error: string }).error);
    }
  });

  it('R-OIDC claims: the admin API validates owner standard claims', async () => {
    const someone = await createOwner(app);
    await adminRequest(app)
      .patch(`/admin/owners/${someone.id}`, { claims: { email: 'not-an-email' } })
      .expect(400);
    await adminRequest(app)
      .patch(`/admin/owners/${someone.id}`, { claims: { picture: 'http://insecure.example/p.png' } })
      .expect(400);
    const ok = await adminRequest(app)
      .patch(`/admin/owners/${someone.id}`, { claims: { given_name: 'Bob', zoneinfo: 'Europe/Paris' } })
      .expect(200);
    expect((ok.body as { claims: unknown }).claims).toEqual({ given_name: 'Bob', zoneinfo: 'Europe/Paris' });
    const cleared = await adminRequest(app)
      .patch(`/admin/owners/${someone.id}`, { claims: null })
      .expect(200);
    expect((cleared.body as { claims: unknown }).claims).toBeNull();
  });
});
