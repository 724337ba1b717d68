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
  type TestOwner,
} from '../support/authorize-flow.js';
import { basicAuth, createClient, form, type TestClient } from '../support/clients.js';
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
});
