import request from 'supertest';
import { StoreUnavailableError } from '../../src/store/short-lived-store.js';
import {
  authorizeUrl,
  callbackParams,
  codeRequest,
  createCodeClient,
  ISSUER,
  pkce,
  REDIRECT_URI,
} from '../support/authorize-flow.js';
import type { TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { UserAgent } from '../support/user-agent.js';

describe('authorization endpoint (GET/POST /authorize)', () => {
  let app: TestApp;
  let confidential: TestClient;
  let publicClient: TestClient;

  beforeAll(async () => {
    app = await createTestApp();
    confidential = await createCodeClient(app, { allowedResources: ['https://api.example.com'] });
    publicClient = await createCodeClient(app, { tokenEndpointAuthMethod: 'none' });
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (url: string) => request(app.publicServer).get(url);

  /** An error page: HTML, 4xx/5xx, never a redirect (R-AUTHZ-7). */
  async function expectPage(url: string, status = 400): Promise<string> {
    const res = await get(url);
    expect(res.status).toBe(status);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    return res.text;
  }

  /** An error redirect to the client with state and iss (R-AUTHZ-8..10). */
  async function expectErrorRedirect(url: string, error: string, state?: string): Promise<URLSearchParams> {
    const res = await get(url);
    expect(res.status).toBe(302);
    const location = res.headers.location as string;
    expect(location.startsWith(REDIRECT_URI)).toBe(true);
    const params = new URL(location).searchParams;
    expect(params.get('error')).toBe(error);
    expect(params.get('error_description')).toBeTruthy();
    expect(params.get('iss')).toBe(ISSUER);
    expect(params.get('code')).toBeNull();
    if (state !== undefined) {
      expect(params.get('state')).toBe(state);
    }
    return params;
  }

  describe('R-AUTHZ-7: errors before the redirect URI is verified are pages, never redirects', () => {
    it('R-AUTHZ-7: unknown client_id shows a page', async () => {
      const text = await expectPage(codeRequest('no-such-client').url);
      expect(text).toContain('unknown client');
    });

    it('R-AUTHZ-7: missing client_id shows a page', async () => {
      const { params } = codeRequest(confidential.clientId);
      await expectPage(authorizeUrl({ ...params, client_id: undefined }));
    });

    it('R-AUTHZ-2: a repeated client_id shows a page', async () => {
      const { params } = codeRequest(confidential.clientId);
      await expectPage(
        authorizeUrl({ ...params, client_id: [confidential.clientId, confidential.clientId] }),
      );
    });

    it.each([
      ['other host', 'https://evil.example/cb'],
      ['extra path', 'https://client.example/cb/extra'],
      ['changed scheme', 'http://client.example/cb'],
      ['extra query', 'https://client.example/cb?x=1'],
      ['trailing slash', 'https://client.example/cb/'],
      ['case change', 'https://CLIENT.example/cb'],
      ['fragment', 'https://client.example/cb#f'],
    ])(
      'R-AUTHZ-5/R-MCP-10: redirect_uri mismatch (%s) shows a page without redirecting',
      async (_name, uri) => {
        const text = await expectPage(codeRequest(confidential.clientId, { redirect_uri: uri }).url);
        expect(text).toContain('redirect_uri is not registered');
      },
    );

    it('R-AUTHZ-4: redirect_uri is required when several are registered', async () => {
      const two = await createCodeClient(app, {
        redirectUris: [REDIRECT_URI, 'https://client.example/other'],
      });
      const { params } = codeRequest(two.clientId);
      await expectPage(authorizeUrl({ ...params, redirect_uri: undefined }));
    });

    it('R-AUTHZ-4/R-OIDC-1: with the openid scope, redirect_uri is required even when one is registered (OIDC Core §3.1.2.1)', async () => {
      const { params } = codeRequest(confidential.clientId, { scope: 'openid read' });
      const text = await expectPage(authorizeUrl({ ...params, redirect_uri: undefined }));
      expect(text).toContain('redirect_uri is required in an OpenID Connect request');
    });

    it('R-AUTHZ-4: with one registered redirect URI it may be omitted', async () => {
      const { params } = codeRequest(confidential.clientId, { scope: 'read' });
      const res = await get(authorizeUrl({ ...params, redirect_uri: undefined }));
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^\/login\?req=/);
    });

    it('R-AUTHZ-6: a loopback redirect URI may use any port', async () => {
      const loopback = await createCodeClient(app, { redirectUris: ['http://127.0.0.1/cb'] });
      const ok = await get(codeRequest(loopback.clientId, { redirect_uri: 'http://127.0.0.1:51234/cb' }).url);
      expect(ok.status).toBe(302);
      expect(ok.headers.location).toMatch(/^\/login\?req=/);
      await expectPage(codeRequest(loopback.clientId, { redirect_uri: 'http://127.0.0.1:51234/other' }).url);
    });

    it('R-SEC-3: a repeated or oversized state is reported on a page', async () => {
      const { params } = codeRequest(confidential.clientId);
      await expectPage(authorizeUrl({ ...params, state: ['a', 'b'] }));
      await expectPage(authorizeUrl({ ...params, state: 'x'.repeat(2000) }));
    });

    it('R-SEC-3: a JSON body with non-string values gets a page, never a 5xx', async () => {
      for (const body of [{ client_id: { $ne: 1 } }, { client_id: 42 }, [1, 2]]) {
        const res = await request(app.publicServer).post('/authorize').send(body);
        expect(res.status).toBe(400);
        expect(res.headers.location).toBeUndefined();
      }
    });

    it('R-SEC-3: reflected values are HTML-escaped on the page', async () => {
      const text = await expectPage(codeRequest('<script>alert(1)</script>').url);
      expect(text).not.toContain('<script>');
    });

    it('R-AUTHZ-14: pages refuse framing, leak no referrer and are not cached', async () => {
      const res = await get(codeRequest('no-such-client').url);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).not.toMatch(/script-src/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('R-AUTHZ-8: errors after the redirect URI is verified are redirects with state and iss', () => {
    it('R-AUTHZ-3: response_type=token gets unsupported_response_type', async () => {
      const req = codeRequest(confidential.clientId, { response_type: 'token' });
      await expectErrorRedirect(req.url, 'unsupported_response_type', req.state);
    });

    it('R-AUTHZ-3: a missing response_type is invalid_request', async () => {
      const req = codeRequest(confidential.clientId, { response_type: undefined });
      await expectErrorRedirect(req.url, 'invalid_request', req.state);
    });

    it.each([
      ['public', () => publicClient],
      ['confidential', () => confidential],
    ])('R-PKCE-2/R-PKCE-3: a %s client without code_challenge is refused', async (_kind, client) => {
      const req = codeRequest(client().clientId, {
        code_challenge: undefined,
        code_challenge_method: undefined,
      });
      const params = await expectErrorRedirect(req.url, 'invalid_request', req.state);
      expect(params.get('error_description')).toMatch(/code challenge required/);
    });

    it.each([
      ['public', () => publicClient],
      ['confidential', () => confidential],
    ])('R-PKCE-4: a %s client using plain is refused', async (_kind, client) => {
      const p = pkce();
      const plain = codeRequest(client().clientId, {
        code_challenge: p.verifier,
        code_challenge_method: 'plain',
      });
      const params = await expectErrorRedirect(plain.url, 'invalid_request', plain.state);
      expect(params.get('error_description')).toMatch(/transform/);
      const absent = codeRequest(client().clientId, {
        code_challenge: p.verifier,
        code_challenge_method: undefined,
      });
      await expectErrorRedirect(absent.url, 'invalid_request', absent.state);
    });

    it.each([
      ['too short', 'a'.repeat(42)],
      ['too long', 'a'.repeat(129)],
      ['bad characters', `${'a'.repeat(42)}+`],
    ])('R-PKCE-5: a code_challenge that is %s is refused', async (_name, challenge) => {
      const req = codeRequest(confidential.clientId, { code_challenge: challenge });
      await expectErrorRedirect(req.url, 'invalid_request', req.state);
    });

    it('R-AUTHZ-2: a repeated parameter is invalid_request', async () => {
      const req = codeRequest(confidential.clientId, { scope: ['openid', 'read'] });
      const params = await expectErrorRedirect(req.url, 'invalid_request', req.state);
      expect(params.get('error_description')).toMatch(/scope must not be provided twice/);
    });

    it('R-SEC-3: an oversized parameter is invalid_request', async () => {
      const req = codeRequest(confidential.clientId, { nonce: 'n'.repeat(3000) });
      await expectErrorRedirect(req.url, 'invalid_request', req.state);
    });

    it('R-AUTHZ-12: a scope outside the client registration is invalid_scope', async () => {
      const req = codeRequest(confidential.clientId, { scope: 'openid admin' });
      await expectErrorRedirect(req.url, 'invalid_scope', req.state);
    });

    it('RFC 8707: a resource the client may not use is invalid_target', async () => {
      const req = codeRequest(confidential.clientId, { resource: 'https://other.example.com' });
      await expectErrorRedirect(req.url, 'invalid_target', req.state);
      const fragment = codeRequest(confidential.clientId, { resource: 'https://api.example.com#x' });
      await expectErrorRedirect(fragment.url, 'invalid_target', fragment.state);
    });

    it('an unknown prompt value or a bad max_age is invalid_request', async () => {
      const prompt = codeRequest(confidential.clientId, { prompt: 'select_account' });
      await expectErrorRedirect(prompt.url, 'invalid_request', prompt.state);
      const maxAge = codeRequest(confidential.clientId, { max_age: '-1' });
      await expectErrorRedirect(maxAge.url, 'invalid_request', maxAge.state);
    });

    it('R-AUTHZ-9: state is echoed exactly, URL-encoded', async () => {
      const state = 'a b&c=d/é<>"';
      const req = codeRequest(confidential.clientId, { response_type: 'token', state });
      await expectErrorRedirect(req.url, 'unsupported_response_type', state);
    });

    it('R-AUTHZ-8: the redirect URI keeps its own query', async () => {
      const withQuery = await createCodeClient(app, { redirectUris: ['https://client.example/cb?tenant=a'] });
      const req = codeRequest(withQuery.clientId, {
        redirect_uri: 'https://client.example/cb?tenant=a',
        response_type: 'token',
      });
      const res = await get(req.url);
      expect(res.status).toBe(302);
      const url = new URL(res.headers.location as string);
      expect(url.origin + url.pathname).toBe('https://client.example/cb');
      expect(url.searchParams.get('tenant')).toBe('a');
      expect(url.searchParams.get('error')).toBe('unsupported_response_type');
      expect(url.searchParams.get('iss')).toBe(ISSUER);
    });

    it('a client not registered for authorization_code is unauthorized_client', async () => {
      const cc = await createCodeClient(app, { grantTypes: ['client_credentials'] });
      const req = codeRequest(cc.clientId);
      await expectErrorRedirect(req.url, 'unauthorized_client', req.state);
    });

    it('a store outage after the redirect URI is verified redirects with temporarily_unavailable', async () => {
      const store = app.shared.store;
      const original = store.set.bind(store);
      store.set = () => Promise.reject(new StoreUnavailableError());
      try {
        const req = codeRequest(confidential.clientId);
        await expectErrorRedirect(req.url, 'temporarily_unavailable', req.state);
      } finally {
        store.set = original;
      }
    });
  });

  describe('valid requests', () => {
    it('R-AUTHZ-11: an anonymous owner is sent to the login page first', async () => {
      const ua = new UserAgent(app.publicServer);
      const res = await ua.get(codeRequest(confidential.clientId).url);
      expect(res.status).toBe(302);
      expect(res.location).toMatch(/^\/login\?req=[A-Za-z0-9_-]{43}$/);
      const page = await ua.get(res.location as string);
      expect(page.status).toBe(200);
      expect(page.text).toContain('name="username"');
      expect(page.text).toContain('name="csrf"');
    });

    it('R-AUTHZ-2: an empty parameter counts as absent (scope= → the documented default)', async () => {
      const res = await get(codeRequest(confidential.clientId, { scope: '' }).url);
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^\/login\?req=/);
    });

    it('R-AUTHZ-1: POST works like GET and sends no CORS headers', async () => {
      const req = codeRequest(confidential.clientId);
      const res = await request(app.publicServer)
        .post('/authorize')
        .set('Origin', 'https://evil.example')
        .type('form')
        .send(new URLSearchParams(req.params as Record<string, string>).toString());
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login\?req=/);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('R-AUTHZ-7: prompt=none without a session answers login_required by redirect', async () => {
      const req = codeRequest(confidential.clientId, { prompt: 'none' });
      const res = await get(req.url);
      const params = callbackParams({
        status: res.status,
        headers: res.headers,
        text: '',
        location: res.headers.location,
      });
      expect(params.get('error')).toBe('login_required');
      expect(params.get('state')).toBe(req.state);
    });
  });
});
