import request from 'supertest';
import { ConsentGrantEntity } from '../../src/consent/consent-grant.entity.js';
import {
  authorizeThroughPages,
  callbackParams,
  codeRequest,
  createCodeClient,
  createOwner,
  exchangeCode,
  ISSUER,
  type TestOwner,
} from '../support/authorize-flow.js';
import { form, basicAuth, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { hiddenFields, UserAgent, type UaResponse } from '../support/user-agent.js';

describe('consent, remembered grants and the account page', () => {
  let app: TestApp;
  let client: TestClient;

  beforeAll(async () => {
    app = await createTestApp({
      SCOPES: 'openid=Sign you in;profile=Read your profile;read=Read your <notes>',
    });
  });
  beforeEach(async () => {
    client = await createCodeClient(app, { clientName: 'Notes <App>' });
  });
  afterAll(async () => {
    await app.close();
  });

  const grants = () => app.shared.dataSource.getRepository(ConsentGrantEntity);

  /** Logs in and stops at the consent page. */
  async function consentPage(
    ua: UserAgent,
    owner: TestOwner,
    extra: Record<string, string> = {},
  ): Promise<UaResponse> {
    let res = await ua.follow(await ua.get(codeRequest(client.clientId, extra).url));
    if (res.text.includes('name="password"')) {
      res = await ua.follow(await ua.submit(res, { username: owner.username, password: owner.password }));
    }
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="decision"');
    return res;
  }

  it('R-AUTHZ-13/R-MCP-8: the page names the client, the redirect host and each scope, escaped', async () => {
    const owner = await createOwner(app);
    const page = await consentPage(new UserAgent(app.publicServer), owner, { scope: 'openid read' });
    expect(page.text).toContain('Notes &lt;App&gt;');
    expect(page.text).not.toContain('Notes <App>');
    expect(page.text).toContain('client.example');
    expect(page.text).toContain('Sign you in');
    expect(page.text).toContain('Read your &lt;notes&gt;');
    expect(page.text).toContain('value="allow"');
    expect(page.text).toContain('value="deny"');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain('form-action');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('R-MCP-8: a client with only loopback redirect URIs gets a warning', async () => {
    client = await createCodeClient(app, { redirectUris: ['http://127.0.0.1/cb'] });
    const owner = await createOwner(app);
    const ua = new UserAgent(app.publicServer);
    let res = await ua.follow(
      await ua.get(codeRequest(client.clientId, { redirect_uri: 'http://127.0.0.1:8765/cb' }).url),
    );
    res = await ua.follow(await ua.submit(res, { username: owner.username, password: owner.password }));
    expect(res.text).toContain('runs on your own device');
    expect(res.text).toContain('127.0.0.1:8765');
  });

  it('R-AUTHZ-8/R-MCP-15: deny redirects with access_denied, state and iss (303 after the POST)', async () => {
    const owner = await createOwner(app);
    const ua = new UserAgent(app.publicServer);
    const page = await consentPage(ua, owner);
    const res = await ua.submit(page, { decision: 'deny' });
    expect(res.status).toBe(303);
    const params = callbackParams(res);
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('iss')).toBe(ISSUER);
    expect(params.get('state')).toBeTruthy();
    expect(params.get('code')).toBeNull();
    expect(await grants().countBy({ ownerId: owner.id })).toBe(0);
  });

  it('R-AUTHZ-13: allow issues a code and remembers the grant; later requests within it skip the page', async () => {
    const owner = await createOwner(app);
    const ua = new UserAgent(app.publicServer);
    const page = await consentPage(ua, owner, { scope: 'openid read' });
    const res = await ua.submit(page, { decision: 'allow' });
    expect(res.status).toBe(303);
    expect(callbackParams(res).get('code')).toBeTruthy();
    const rows = await grants().findBy({ ownerId: owner.id, clientId: client.clientId });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.scopes.sort()).toEqual(['openid', 'read']);

    const again = await ua.get(codeRequest(client.clientId, { scope: 'read' }).url);
    expect(again.status).toBe(302);
    expect(callbackParams(again).get('code')).toBeTruthy();

    // A wider request asks again.
    const wider = await ua.follow(
      await ua.get(codeRequest(client.clientId, { scope: 'openid profile' }).url),
    );
    expect(wider.text).toContain('name="decision"');
  });

  it('prompt=consent shows the page even when consent is remembered', async () => {
    const owner = await createOwner(app);
    const ua = new UserAgent(app.publicServer);
    await authorizeThroughPages(ua, codeRequest(client.clientId).url, owner);
    const res = await ua.follow(await ua.get(codeRequest(client.clientId, { prompt: 'consent' }).url));
    expect(res.text).toContain('name="decision"');
    const done = await ua.submit(res, { decision: 'allow' });
    expect(callbackParams(done).get('code')).toBeTruthy();
  });

  it('prompt=none answers consent_required when consent is missing, and a code once given', async () => {
    const owner = await createOwner(app);
    const ua = new UserAgent(app.publicServer);
    const page = await consentPage(ua, owner);
    const none = codeRequest(client.clientId, { prompt: 'none' });
    const res = await ua.get(none.url);
    expect(callbackParams(res).get('error')).toBe('consent_required');
    expect(callbackParams(res).get('state')).toBe(none.state);
    await ua.submit(page, { decision: 'allow' });
    const ok = await ua.get(codeRequest(client.clientId, { prompt: 'none' }).url);
    expect(callbackParams(ok).get('code')).toBeTruthy();
  });

  it('first-party clients skip the consent page', async () => {
    const firstParty = await createCodeClient(app, { firstParty: true });
    const owner = await createOwner(app);
    const ua = new UserAgent(app.publicServer);
    const res = await authorizeThroughPages(ua, codeRequest(firstParty.clientId).url, owner, 'deny');
    expect(callbackParams(res).get('code')).toBeTruthy();
  });

  it('R-SEC-4: a tampered CSRF token or a form from another session is refused, with no code', async () => {
    const owner = await createOwner(app);
    const ua = new UserAgent(app.publicServer);
    const page = await consentPage(ua, owner);
    const tampered = await ua.submit(page, { decision: 'allow', csrf: 'A'.repeat(43) });
    expect(tampered.status).toBe(403);
    expect(tampered.location).toBeUndefined();

    // The attacker's own consent form, submitted from the victim's browser.
    const attacker = new UserAgent(app.publicServer);
    const attackerPage = await consentPage(attacker, await createOwner(app));
    const victimPost = await ua.post('/consent', { ...hiddenFields(attackerPage.text), decision: 'allow' });
    expect(victimPost.status).toBe(400);
    expect(victimPost.location).toBeUndefined();
    expect(await grants().countBy({ ownerId: owner.id })).toBe(0);
  });

  it('a bad decision value is refused without a code', async () => {
    const owner = await createOwner(app);
    const ua = new UserAgent(app.publicServer);
    const page = await consentPage(ua, owner);
    const res = await ua.submit(page, { decision: 'maybe' });
    expect(res.status).toBe(400);
    expect(res.location).toBeUndefined();
  });

  it('/account lists grants and revoking one (with CSRF) makes consent required again', async () => {
    const owner = await createOwner(app);
    const ua = new UserAgent(app.publicServer);
    await authorizeThroughPages(ua, codeRequest(client.clientId).url, owner);
    const account = await ua.get('/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain('Notes &lt;App&gt;');
    const [row] = await grants().findBy({ ownerId: owner.id });
    const action = `/account/grants/${row?.id}/revoke`;
    expect(account.text).toContain(action);

    const noCsrf = await ua.post(action, { csrf: 'nope' });
    expect(noCsrf.status).toBe(403);
    const revoked = await ua.post(action, hiddenFields(account.text));
    expect(revoked.status).toBe(303);
    expect((await grants().findOneBy({ id: row?.id }))?.revokedAt).not.toBeNull();
    const after = await ua.get(codeRequest(client.clientId, { prompt: 'none' }).url);
    expect(callbackParams(after).get('error')).toBe('consent_required');
  });

  it('another owner cannot revoke my grant from /account', async () => {
    const owner = await createOwner(app);
    await authorizeThroughPages(new UserAgent(app.publicServer), codeRequest(client.clientId).url, owner);
    const [row] = await grants().findBy({ ownerId: owner.id });
    const other = new UserAgent(app.publicServer);
    await authorizeThroughPages(other, codeRequest(client.clientId).url, await createOwner(app));
    const page = await other.get('/account');
    const res = await other.post(`/account/grants/${row?.id}/revoke`, hiddenFields(page.text));
    expect(res.status).toBe(404);
    expect((await grants().findOneBy({ id: row?.id }))?.revokedAt).toBeNull();
  });

  describe('admin API /admin/consent-grants', () => {
    const admin = () => request(app.adminServer);

    it('lists grants by owner and client, and is absent from the public listener', async () => {
      const owner = await createOwner(app);
      await authorizeThroughPages(new UserAgent(app.publicServer), codeRequest(client.clientId).url, owner);
      const res = await admin()
        .get(`/admin/consent-grants?owner_id=${owner.id}&client_id=${client.clientId}`)
        .set('Authorization', `Bearer ${app.adminToken}`)
        .expect(200);
      expect(res.body).toHaveLength(1);
      expect(res.body[0]).toMatchObject({ owner_id: owner.id, client_id: client.clientId, revoked_at: null });
      await admin().get('/admin/consent-grants').expect(401);
      await request(app.publicServer).get('/admin/consent-grants').expect(404);
    });

    it('revoking a consent grant revokes its refresh-token families', async () => {
      const owner = await createOwner(app);
      const ua = new UserAgent(app.publicServer);
      const req = codeRequest(client.clientId);
      const res = await authorizeThroughPages(ua, req.url, owner);
      const code = callbackParams(res).get('code') as string;
      const tokens = await exchangeCode(app, client, { code, code_verifier: req.pkce.verifier }).expect(200);
      expect(tokens.body.refresh_token).toBeTruthy();
      const [row] = await grants().findBy({ ownerId: owner.id });
      await admin()
        .delete(`/admin/consent-grants/${row?.id}`)
        .set('Authorization', `Bearer ${app.adminToken}`)
        .expect(204);
      const refresh = await request(app.publicServer)
        .post('/token')
        .set('Authorization', basicAuth(client.clientId, client.secret))
        .type('form')
        .send(form({ grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }));
      expect(refresh.status).toBe(400);
      expect(refresh.body.error).toBe('invalid_grant');
      await admin()
        .delete('/admin/consent-grants/00000000-0000-4000-8000-000000000000')
        .set('Authorization', `Bearer ${app.adminToken}`)
        .expect(404);
    });
  });
});
