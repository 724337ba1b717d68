import type { Server } from 'node:http';
import request from 'supertest';
import { createOwner, type TestOwner } from '../support/authorize-flow.js';
import { basicAuth, createClient, form, type TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import {
  API,
  concurrentPosts,
  createDeviceClient,
  decideOnDevicePage,
  DEVICE_GRANT,
  expireDeviceCode,
  poll,
  startDeviceAuthorization,
} from '../support/device.js';
import { createListeningTestApp } from '../support/listening-app.js';
import { hiddenFields, UserAgent, type UaResponse } from '../support/user-agent.js';

const USER_CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('device authorization grant (RFC 8628)', () => {
  let app: TestApp;
  let issuer: string;
  let server: Server;
  let tv: TestClient;
  let owner: TestOwner;
  const ua = (ip?: string) => new UserAgent(server, { origin: issuer, ...(ip ? { ip } : {}) });

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp({ DEVICE_CODE_INTERVAL: '1', TRUST_PROXY: 'true' }));
    server = app.publicServer;
    tv = await createDeviceClient(app);
    owner = await createOwner(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-DEV-1/R-DEV-2/R-DEV-3: answers device_code, XXXX-XXXX user_code, verification URIs, expires_in, interval, no-store', async () => {
    const res = await request(server)
      .post('/device_authorization')
      .type('form')
      .send(form({ client_id: tv.clientId, scope: 'read', resource: API }));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.user_code).toMatch(USER_CODE);
    expect(res.body.verification_uri).toBe(`${issuer}/device`);
    expect(res.body.verification_uri_complete).toBe(`${issuer}/device?user_code=${res.body.user_code}`);
    expect(res.body.expires_in).toBe(600);
    expect(res.body.interval).toBe(1);
  });

  it('R-DEV-1: confidential clients authenticate as at /token; the grant, scope and resource are checked', async () => {
    const conf = await createClient(app, { grantTypes: [DEVICE_GRANT], scope: 'read' });
    const post = (auth: string | undefined, params: Record<string, string>) => {
      const req = request(server).post('/device_authorization').type('form');
      return (auth ? req.set('Authorization', auth) : req).send(form(params));
    };
    expect((await post(basicAuth(conf.clientId, conf.secret), {})).status).toBe(200);
    const wrong = await post(basicAuth(conf.clientId, 'wrong'), {});
    expect([wrong.status, wrong.body.error]).toEqual([401, 'invalid_client']);
    const unauthenticated = await post(undefined, { client_id: conf.clientId });
    expect([unauthenticated.status, unauthenticated.body.error]).toEqual([401, 'invalid_client']);
    const cc = await createClient(app);
    expect((await post(basicAuth(cc.clientId, cc.secret), {})).body.error).toBe('unauthorized_client');
    expect((await post(undefined, { client_id: tv.clientId, scope: 'admin' })).body.error).toBe(
      'invalid_scope',
    );
    expect(
      (await post(undefined, { client_id: tv.clientId, resource: 'https://evil.example' })).body.error,
    ).toBe('invalid_target');
    const get = await request(server).get('/device_authorization');
    expect(get.status).toBe(405);
  });

  it('R-DEV-3/R-DEV-5/R-DEV-7/R-DEV-9: pending, lower-case code without dash accepted, client/scopes/resources shown, tokens once', async () => {
    const started = await startDeviceAuthorization(server, tv, { scope: 'read', resource: API });
    const pending = await poll(server, tv, started.device_code);
    expect([pending.status, pending.body.error]).toEqual([400, 'authorization_pending']);

    const typed = started.user_code.replace('-', '').toLowerCase();
    const { confirm, done } = await decideOnDevicePage(ua(), typed, owner, 'allow');
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Living Room TV');
    expect(confirm.text).toContain('<code>read</code>');
    expect(confirm.text).toContain(API);
    expect(confirm.text).toContain(started.user_code);
    expect(confirm.headers['x-frame-options']).toBe('DENY');
    expect(confirm.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(confirm.text).not.toContain('<script');
    expect(done.status).toBe(200);
    expect(done.text).toContain('Device connected');

    await sleep(1100);
    const tokens = await poll(server, tv, started.device_code);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', scope: 'read' });
    expect(tokens.body.refresh_token).toEqual(expect.any(String));
    const claims = JSON.parse(Buffer.from(tokens.body.access_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ sub: owner.id, aud: API, client_id: tv.clientId });

    await sleep(1100);
    const again = await poll(server, tv, started.device_code);
    expect([again.status, again.body.error]).toEqual([400, 'invalid_grant']);
  });

  it('R-DEV-5: verification_uri_complete pre-fills the code but still needs sign-in and an explicit Allow', async () => {
    const started = await startDeviceAuthorization(server, tv);
    const agent = ua();
    const page = await agent.get(started.verification_uri_complete);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`value="${started.user_code}"`);
    const login = await agent.follow(await agent.submit(page, { user_code: started.user_code }));
    expect(login.text).toContain('name="password"');
    expect((await poll(server, tv, started.device_code)).body.error).toBe('authorization_pending');
  });

  it('R-DEV-5: an owner already signed in goes from the code straight to the decision page', async () => {
    const agent = ua();
    const first = await startDeviceAuthorization(server, tv);
    await decideOnDevicePage(agent, first.user_code, owner, 'allow');
    const second = await startDeviceAuthorization(server, tv);
    const entered = await agent.submit(await agent.get('/device'), { user_code: second.user_code });
    expect(entered.status).toBe(303);
    expect(entered.location).toMatch(/^\/device\/confirm\?v=/);
    const confirm = await agent.follow(entered);
    expect(confirm.text).toContain('Allow this device?');
    // Another browser cannot use this browser's entry.
    const other = ua();
    expect((await other.get(entered.location as string)).status).toBe(400);
  });

  it('R-DEV-9: a poll with a resource outside the grant is invalid_target and does not spend the code', async () => {
    const started = await startDeviceAuthorization(server, tv, { resource: API });
    await decideOnDevicePage(ua(), started.user_code, owner, 'allow');
    await sleep(1100);
    const wrong = await request(server)
      .post('/token')
      .type('form')
      .send(
        form({
          grant_type: DEVICE_GRANT,
          client_id: tv.clientId,
          device_code: started.device_code,
          resource: 'https://elsewhere.example',
        }),
      );
    expect(wrong.body.error).toBe('invalid_target');
    await sleep(1100);
    expect((await poll(server, tv, started.device_code)).status).toBe(200);
  });

  it('R-DEV-6: a device code belongs to its client; unknown codes are invalid_grant', async () => {
    const started = await startDeviceAuthorization(server, tv);
    const other = await createDeviceClient(app);
    expect((await poll(server, other, started.device_code)).body.error).toBe('invalid_grant');
    expect((await poll(server, tv, 'x'.repeat(43))).body.error).toBe('invalid_grant');
    const missing = await request(server)
      .post('/token')
      .type('form')
      .send(form({ grant_type: DEVICE_GRANT, client_id: tv.clientId }));
    expect(missing.body.error).toBe('invalid_request');
  });

  it('R-DEV-7: polling faster than the interval gets slow_down, and the interval then grows by 5 s', async () => {
    const started = await startDeviceAuthorization(server, tv);
    expect((await poll(server, tv, started.device_code)).body.error).toBe('authorization_pending');
    const fast = await poll(server, tv, started.device_code);
    expect([fast.status, fast.body.error]).toEqual([400, 'slow_down']);
    expect(fast.body.error_description).toContain('6 seconds');
    await sleep(1200); // the announced 1 s interval has passed, the grown 6 s has not
    const stillFast = await poll(server, tv, started.device_code);
    expect(stillFast.body.error).toBe('slow_down');
    expect(stillFast.body.error_description).toContain('11 seconds');
  });

  it('R-DEV-8: a denial gives access_denied', async () => {
    const started = await startDeviceAuthorization(server, tv);
    const { done } = await decideOnDevicePage(ua(), started.user_code, owner, 'deny');
    expect(done.text).toContain('Request denied');
    const denied = await poll(server, tv, started.device_code);
    expect([denied.status, denied.body.error]).toEqual([400, 'access_denied']);
    // The code is spent: it cannot be entered again.
    const agent = ua();
    const retry = await agent.submit(await agent.get('/device'), { user_code: started.user_code });
    expect(retry.status).toBe(400);
  });

  it('R-DEV-8: an expired device code gives expired_token and its user code no longer works', async () => {
    const started = await startDeviceAuthorization(server, tv);
    await expireDeviceCode(app, started.device_code);
    const expired = await poll(server, tv, started.device_code);
    expect([expired.status, expired.body.error]).toEqual([400, 'expired_token']);
    const agent = ua();
    const entry = await agent.submit(await agent.get('/device'), { user_code: started.user_code });
    expect(entry.status).toBe(400);
    expect(entry.text).toContain('not valid or has expired');
  });

  it('R-SEC-4: the code form needs its CSRF token', async () => {
    const agent = ua();
    await agent.get('/device');
    const forged = await agent.post('/device', { user_code: 'BCDF-GHJK', csrf: 'forged' });
    expect(forged.status).toBe(403);
  });

  it('R-DEV-9: 1,000 concurrent polls after approval → exactly one token response', async () => {
    const started = await startDeviceAuthorization(server, tv);
    await decideOnDevicePage(ua(), started.user_code, owner, 'allow');
    await sleep(1100);
    const body = form({ grant_type: DEVICE_GRANT, client_id: tv.clientId, device_code: started.device_code });
    const answers = (await concurrentPosts(`${issuer}/token`, 1000, () => body)).map((a) => ({
      status: a.status,
      body: JSON.parse(a.body) as { error?: string },
    }));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status >= 500)).toHaveLength(0);
    // The others polled too early (slow_down) or after the code was spent (invalid_grant).
    const errors = new Set(answers.filter((a) => a.status !== 200).map((a) => a.body.error));
    expect([...errors].filter((e) => e !== 'slow_down' && e !== 'invalid_grant')).toEqual([]);
  }, 60_000);

  it('R-DEV-4: 1,000 concurrent user-code guesses from one IP are throttled (10 per IP per window)', async () => {
    const ip = '10.200.0.1';
    const agents = Array.from({ length: 100 }, () => ua(ip));
    const entries = await Promise.all(agents.map((a) => a.get('/device')));
    const cookieOf = (a: UserAgent) => [...a.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const guesses = await concurrentPosts(
      `${issuer}/device`,
      1000,
      (i) => form({ ...hiddenFields((entries[i % 100] as UaResponse).text), user_code: 'BCDF-GHJK' }),
      (i) => ({ cookie: cookieOf(agents[i % 100] as UserAgent), 'x-forwarded-for': ip }),
    );
    const statuses = guesses.map((g) => g.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(990);
    expect(statuses.filter((s) => s !== 429 && s !== 400)).toEqual([]);
    expect(guesses.find((g) => g.status === 429)?.headers['retry-after']).toMatch(/^\d+$/);
  }, 60_000);

  it('R-DEV-4: one browser session is throttled after 5 entries, whatever its IP', async () => {
    const agent = ua();
    const entry = await agent.get('/device');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      Object.assign(agent, { ip: `10.201.0.${i + 1}` });
      statuses.push((await agent.submit(entry, { user_code: 'BCDF-GHJK' })).status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
  });
});
