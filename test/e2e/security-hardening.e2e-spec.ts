import request from 'supertest';
import { SecuritySignals } from '../../src/security/security-signals.js';
import { adminRequest } from '../support/admin-request.js';
import {
  authorizeThroughPages,
  callbackParams,
  codeRequest,
  createCodeClient,
  createOwner,
  exchangeCode,
  obtainCode,
  REDIRECT_URI,
  type TestOwner,
} from '../support/authorize-flow.js';
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { basicAuth, createClient, form, updateClient, type TestClient } from '../support/clients.js';
import { issueFamily } from '../support/refresh-tokens.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { expectOAuthError } from '../support/oauth-assertions.js';
import { hiddenFields, UserAgent } from '../support/user-agent.js';

const ISSUER = 'http://127.0.0.1:3000';
const AUDIENCE = `${ISSUER}/api`;

/**
 * Issue 16: findings of the adversarial review, one test (at least) per finding, named by it.
 * One app for the file (Passport strategies are process-global); X-Forwarded-For is trusted so
 * requests can come from distinct source addresses.
 */
describe('security hardening (issue 16)', () => {
  let app: TestApp;
  let rs: TestClient;

  beforeAll(async () => {
    app = await createTestApp({
      ISSUER,
      TRUST_PROXY: 'true',
      REGISTRATION_POLICY: 'open',
      CLIENT_AUTH_MAX_FAILURES: '3',
      LOGIN_RATE_LIMIT_PER_USERNAME: '3',
      LOGIN_RATE_LIMIT_PER_IP: '50',
      LOGIN_DELAY_AFTER_FAILURES: '2',
      LOGIN_DELAY_MAX_MS: '40',
    });
    rs = await createClient(app, { canIntrospect: true, grantTypes: [], allowedResources: [AUDIENCE] });
  });
  afterAll(async () => {
    await app.close();
  });

  const api = () => request(app.publicServer);
  const token = (params: Record<string, string>, authorization: string, from: string) =>
    api()
      .post('/token')
      .type('form')
      .set('X-Forwarded-For', from)
      .set('Authorization', authorization)
      .send(form(params));
  const introspect = (value: string) =>
    api()
      .post('/introspect')
      .type('form')
      .set('Authorization', basicAuth(rs.clientId, rs.secret))
      .send(form({ token: value }));

  describe('M1: client-secret throttling', () => {
    it('ISSUE16-M1 / R-SEC-6: a correct secret is never refused because of failures from another address', async () => {
      const victim = await createClient(app);
      const signals = app.publicApp.get(SecuritySignals, { strict: false });
      const bursts = signals.count('client_auth');
      const cc = { grant_type: 'client_credentials' };
      for (let i = 0; i < 3; i++) {
        expectOAuthError(
          await token(cc, basicAuth(victim.clientId, `wrong-${i}`), '198.51.100.7'),
          401,
          'invalid_client',
        );
      }
      // The attacking address is throttled…
      const throttled = await token(cc, basicAuth(victim.clientId, 'wrong-again'), '198.51.100.7');
      expectOAuthError(throttled, 429, 'too_many_requests');
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      // …the client itself, from its own address, is not.
      await token(cc, basicAuth(victim.clientId, victim.secret), '203.0.113.9').expect(200);
      // One alertable signal for the burst (not one per failure).
      expect(signals.count('client_auth')).toBe(bursts + 1);
    });
  });

  describe('M2: disabling an owner or resetting their password ends their access', () => {
    let client: TestClient;
    beforeAll(async () => {
      client = await createCodeClient(app, { scope: 'openid profile read', allowedResources: [AUDIENCE] });
    });

    async function signedInGrant(owner: TestOwner) {
      const { code, verifier, ua } = await obtainCode(app, client, owner, {
        scope: 'profile',
        resource: AUDIENCE,
      });
      const res = await exchangeCode(app, client, { code, code_verifier: verifier, resource: AUDIENCE });
      expect(res.status).toBe(200);
      return { ua, access: res.body.access_token as string, refresh: res.body.refresh_token as string };
    }
    const refresh = (refreshToken: string) =>
      token(
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        basicAuth(client.clientId, client.secret),
        '192.0.2.1',
      );

    it('ISSUE16-M2 / R-RT-5: after PATCH disabled, refresh is invalid_grant, /introspect inactive, the sample API 401, /account signed out', async () => {
      const owner = await createOwner(app);
      const { ua, access, refresh: rt } = await signedInGrant(owner);
      await api().get('/api/me').set('Authorization', `Bearer ${access}`).expect(200);
      expect((await ua.get('/account')).status).toBe(200);

      await adminRequest(app).patch(`/admin/owners/${owner.id}`, { disabled: true }).expect(200);

      expectOAuthError(await refresh(rt), 400, 'invalid_grant');
      expect((await introspect(access)).body).toEqual({ active: false });
      expect((await introspect(rt)).body).toEqual({ active: false });
      const me = await api().get('/api/me').set('Authorization', `Bearer ${access}`);
      expect(me.status).toBe(401);
      expect(me.headers['www-authenticate']).toMatch(/invalid_token/);
      const account = await ua.get('/account');
      expect(account.status).toBe(302);
      expect(account.location).toBe('/login');
    });

    it('ISSUE16-M2 / R-RT-5: the refresh grant refuses a token of a disabled owner even if its grant was not revoked', async () => {
      const owner = await createOwner(app);
      const { refresh: rt } = await signedInGrant(owner);
      // Disabled outside the admin API (no revocation ran): the refresh statement still sees it.
      const { OwnersService } = await import('../../src/owners/owners.service.js');
      await app.publicApp.get(OwnersService, { strict: false }).update(owner.id, { disabled: true });
      expectOAuthError(await refresh(rt), 400, 'invalid_grant');
    });

    it('ISSUE16-M2: a password reset revokes refresh and access tokens and ends sessions (/account too)', async () => {
      const owner = await createOwner(app);
      const { ua, access, refresh: rt } = await signedInGrant(owner);
      // Sessions carry auth_time in whole seconds: a reset in the same second counts as before it.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await adminRequest(app)
        .post(`/admin/owners/${owner.id}/password`, { password: 'a brand new password 42' })
        .expect(200);
      expectOAuthError(await refresh(rt), 400, 'invalid_grant');
      expect((await introspect(access)).body).toEqual({ active: false });
      const account = await ua.get('/account');
      expect(account.status).toBe(302);
      const again = await ua.get(codeRequest(client.clientId, { prompt: 'none' }).url);
      expect(callbackParams(again).get('error')).toBe('login_required');
    });
  });

  describe('L13: owner sign-out', () => {
    it('ISSUE16-L13: POST /account/sign-out with the CSRF token ends the session; without it, nothing happens', async () => {
      const client = await createCodeClient(app);
      const owner = await createOwner(app);
      const ua = new UserAgent(app.publicServer);
      await authorizeThroughPages(ua, codeRequest(client.clientId).url, owner);
      const page = await ua.get('/account');
      expect(page.status).toBe(200);
      expect(page.text).toContain('action="/account/sign-out"');
      const forged = await ua.post('/account/sign-out', { csrf: 'forged' });
      expect(forged.status).toBe(403);
      expect((await ua.get('/account')).status).toBe(200);
      const out = await ua.post('/account/sign-out', hiddenFields(page.text));
      expect(out.status).toBe(303);
      expect(out.location).toBe('/login');
      expect((await ua.get('/account')).status).toBe(302);
      const none = await ua.get(codeRequest(client.clientId, { prompt: 'none' }).url);
      expect(callbackParams(none).get('error')).toBe('login_required');
    });
  });
  describe('L6: deeply nested JSON', () => {
    const deep = (levels: number) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    const routes: [surface: 'public' | 'admin', method: 'post' | 'put' | 'patch', path: string][] = [
      ['public', 'post', '/register'],
      ['public', 'put', '/register/some-client'],
      ['public', 'post', '/api/notes'],
      ['admin', 'post', '/admin/clients'],
      ['admin', 'post', '/admin/owners'],
      ['admin', 'patch', '/admin/owners/00000000-0000-4000-8000-000000000000'],
    ];
    it.each(routes)(
      'ISSUE16-L6 / R-SEC-3: %s %s %s with JSON nested 3000 levels deep → 400 invalid_request, not a 500',
      async (surface, method, path) => {
        const server = surface === 'public' ? app.publicServer : app.adminServer;
        const res = await request(server)
          [method](path)
          .set('Authorization', surface === 'admin' ? `Bearer ${app.adminToken}` : 'Bearer x')
          .set('Content-Type', 'application/json')
          .send(deep(3000));
        expectOAuthError(res, 400, 'invalid_request');
        expect(res.body.error_description).toMatch(/nested deeper than 32/);
        // 30 levels is within the bound: whatever the route answers, it is not the depth refusal.
        const shallow = await request(server)
          [method](path)
          .set('Authorization', surface === 'admin' ? `Bearer ${app.adminToken}` : 'Bearer x')
          .set('Content-Type', 'application/json')
          .send(deep(30));
        expect(shallow.status).toBeLessThan(500);
        expect(JSON.stringify(shallow.body)).not.toMatch(/nested deeper/);
      },
    );
  });

  describe('L8: framework errors go through the one error path', () => {
    const PROBE = '/%c0%ae%c0%ae/secret-path-marker';
    it.each(['public', 'admin'] as const)(
      'ISSUE16-L8: a malformed URL on the %s listener → OAuth JSON with security headers, nothing echoed',
      async (surface) => {
        const res = await request(surface === 'public' ? app.publicServer : app.adminServer).get(PROBE);
        expectOAuthError(res, 400, 'invalid_request');
        expect(res.text).not.toContain('secret-path-marker');
        expect(res.text).not.toContain('FST_');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-request-id']).toBeTruthy();
      },
    );

    it('ISSUE16-L8: browser routes answer framework errors with the HTML error page (bad URL, content type, size)', async () => {
      const pages = [
        await api().post('/account/grants/%c0%ae-marker/revoke').type('form').send('csrf=x'),
        await api().post('/login').set('Content-Type', 'application/xml').send('<marker/>'),
        await api()
          .post('/consent')
          .type('form')
          .send(`marker=${'x'.repeat(2_000_000)}`),
      ];
      expect(pages.map((r) => r.status)).toEqual([400, 415, 413]);
      for (const res of pages) {
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
        expect(res.text).not.toContain('marker');
      }
    });

    it('ISSUE16-L8: API routes keep OAuth JSON for a body that is too large or of the wrong type', async () => {
      const big = await api()
        .post('/token')
        .type('form')
        .send(`grant_type=${'x'.repeat(2_000_000)}`);
      expectOAuthError(big, 413, 'invalid_request');
      const xml = await api().post('/register').set('Content-Type', 'application/xml').send('<a/>');
      expectOAuthError(xml, 415, 'invalid_request');
    });
  });
  describe('L10: __proto__ and constructor parameters', () => {
    it('ISSUE16-L10 / R-AUTHZ-2: a repeated __proto__ (or constructor) parameter is refused like any repeated parameter', async () => {
      const client = await createCodeClient(app);
      for (const name of ['__proto__', 'constructor']) {
        const { url } = codeRequest(client.clientId);
        const ua = new UserAgent(app.publicServer);
        const res = await ua.get(`${url}&${name}=a&${name}=b`);
        expect(res.status).toBe(302);
        expect(callbackParams(res).get('error')).toBe('invalid_request');
      }
      // One __proto__ is just an unknown parameter: ignored, the flow goes on to the login page.
      const { url } = codeRequest(client.clientId);
      const single = await new UserAgent(app.publicServer).get(`${url}&__proto__=a`);
      expect(single.status).toBeLessThan(400);
      expect(single.location ?? '').not.toContain('error=');
    });
  });
  describe('L4/L5: owner login throttling', () => {
    let client: TestClient;
    beforeAll(async () => {
      client = await createCodeClient(app);
    });
    async function loginPage(ua: UserAgent) {
      const page = await ua.follow(await ua.get(codeRequest(client.clientId).url));
      expect(page.text).toContain('name="password"');
      return page;
    }

    it('ISSUE16-L4 / R-SEC-6: 40 concurrent wrong passwords for one user → no more verifications than the limit', async () => {
      const victim = await createOwner(app);
      const ua = new UserAgent(app.publicServer);
      const page = await loginPage(ua);
      const answers = await Promise.all(
        Array.from({ length: 40 }, () =>
          ua.submit(page, { username: victim.username, password: 'wrong password!' }),
        ),
      );
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(3); // LOGIN_RATE_LIMIT_PER_USERNAME
      expect(statuses.filter((s) => s === 429)).toHaveLength(37);
    });

    it('ISSUE16-L5 / R-SEC-6: wrong passwords from one address never lock the real user out from another', async () => {
      const victim = await createOwner(app);
      const attacker = new UserAgent(app.publicServer);
      const attackPage = await loginPage(attacker);
      for (let i = 0; i < 6; i++) {
        await attacker.submit(attackPage, { username: victim.username, password: `guess ${i}` });
      }
      const blocked = await attacker.submit(attackPage, {
        username: victim.username,
        password: victim.password,
      });
      expect(blocked.status).toBe(429);
      const real = new UserAgent(app.publicServer);
      const ok = await real.submit(await loginPage(real), {
        username: victim.username,
        password: victim.password,
      });
      expect(ok.status).toBe(303);
    });
  });
  describe('L7: refresh follows a later narrowing of the client', () => {
    it('ISSUE16-L7 / R-RT-10: scopes and resources removed from the client vanish from refreshed tokens', async () => {
      const A = 'https://a.api.example';
      const B = 'https://b.api.example';
      const client = await createClient(app, { scope: 'read write', allowedResources: [A, B] });
      const family = await issueFamily(app, client.client, { scope: 'read write', resources: [A, B] });
      const auth = basicAuth(client.clientId, client.secret);
      const first = await token(
        { grant_type: 'refresh_token', refresh_token: family.token },
        auth,
        '192.0.2.2',
      );
      expect(first.status).toBe(200);
      expect(first.body.scope).toBe('read write');

      await updateClient(app, client.clientId, { scope: 'read', allowedResources: [B] });
      const narrowed = await token(
        { grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string },
        auth,
        '192.0.2.2',
      );
      expect(narrowed.status).toBe(200);
      expect(narrowed.body.scope).toBe('read');
      const claims = decodeJwt(narrowed.body.access_token as string);
      expect(claims.scope).toBe('read');
      expect(claims.aud).toBe(B);
      // Asking for a removed scope or resource is refused like any widening.
      expectOAuthError(
        await token(
          {
            grant_type: 'refresh_token',
            refresh_token: narrowed.body.refresh_token as string,
            scope: 'write',
          },
          auth,
          '192.0.2.2',
        ),
        400,
        'invalid_scope',
      );
      expectOAuthError(
        await token(
          { grant_type: 'refresh_token', refresh_token: narrowed.body.refresh_token as string, resource: A },
          auth,
          '192.0.2.2',
        ),
        400,
        'invalid_target',
      );
    });
  });
  describe('L9: registration refuses odd keys and URIs', () => {
    const register = (body: object) =>
      api().post('/register').set('X-Forwarded-For', '192.0.2.50').send(body);
    const adminCreate = (body: object) => adminRequest(app).post('/admin/clients', body);

    it.each([
      'https://a.example\\@evil.com/cb',
      'https:///cb',
      'HTTPS://a.example/cb',
      'https://A.example/cb',
      'https://a.example/x/../cb',
    ])(
      'ISSUE16-L9 / R-CLI-6: redirect URI %s (parses differently than it reads) → invalid_redirect_uri',
      async (uri) => {
        expectOAuthError(
          await register({ redirect_uris: [uri], token_endpoint_auth_method: 'none' }),
          400,
          'invalid_redirect_uri',
        );
        expectOAuthError(
          await adminCreate({ client_name: 'x', redirect_uris: [uri], token_endpoint_auth_method: 'none' }),
          400,
          'invalid_redirect_uri',
        );
      },
    );

    it('ISSUE16-L9: canonical redirect URIs are still accepted', async () => {
      await register({
        redirect_uris: ['https://a.example/cb?x=1'],
        token_endpoint_auth_method: 'none',
      }).expect(201);
    });

    it('ISSUE16-L9 / R-REG-4: symmetric (oct) keys are refused', async () => {
      const oct = { keys: [{ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0', kid: 'k1' }] };
      expectOAuthError(
        await adminCreate({
          client_name: 'x',
          grant_types: ['client_credentials'],
          token_endpoint_auth_method: 'private_key_jwt',
          jwks: oct,
        }),
        400,
        'invalid_client_metadata',
      );
    });

    it('ISSUE16-L9 / R-REG-4: keys (jwks or jwks_uri) on a public client are refused', async () => {
      const { publicKey } = await generateKeyPair('ES256');
      const jwk = await exportJWK(publicKey);
      expectOAuthError(
        await register({
          redirect_uris: ['https://a.example/cb'],
          token_endpoint_auth_method: 'none',
          jwks: { keys: [jwk] },
        }),
        400,
        'invalid_client_metadata',
      );
      expectOAuthError(
        await register({
          redirect_uris: ['https://a.example/cb'],
          token_endpoint_auth_method: 'none',
          jwks_uri: 'https://a.example/jwks.json',
        }),
        400,
        'invalid_client_metadata',
      );
    });
  });
  describe('L12: self-registered clients on the consent page', () => {
    async function consentPage(clientId: string) {
      const owner = await createOwner(app);
      const ua = new UserAgent(app.publicServer);
      let page = await ua.follow(await ua.get(codeRequest(clientId, { scope: 'profile' }).url));
      page = await ua.follow(await ua.submit(page, { username: owner.username, password: owner.password }));
      expect(page.text).toContain('name="decision"');
      return page.text;
    }

    it('ISSUE16-L12: a dynamically registered client is marked unverified and identified by its redirect host', async () => {
      const registered = await api()
        .post('/register')
        .set('X-Forwarded-For', '192.0.2.60')
        .send({ client_name: 'Google', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' })
        .expect(201);
      const html = await consentPage(registered.body.client_id as string);
      expect(html).toContain('Unverified application');
      expect(html).toContain('The application at <strong>client.example</strong>');
      expect(html).not.toContain('<strong>Google</strong>');
    });

    it('ISSUE16-L12: an operator-registered client keeps its name and no unverified mark', async () => {
      const client = await createCodeClient(app, { clientName: 'Operator App', scope: 'profile' });
      const html = await consentPage(client.clientId);
      expect(html).toContain('<strong>Operator App</strong> wants to access your account');
      expect(html).not.toContain('Unverified application');
    });
  });
});
