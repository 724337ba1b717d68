import request from 'supertest';
import { hashSecret } from '../../src/common/crypto/secret-hash.js';
import {
  authorizeThroughPages,
  callbackParams,
  codeRequest,
  createCodeClient,
  createOwner,
  type TestOwner,
} from '../support/authorize-flow.js';
import type { TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { hiddenFields, UserAgent, type UaResponse } from '../support/user-agent.js';

describe('owner login (/login) and sessions', () => {
  let app: TestApp;
  let client: TestClient;
  let owner: TestOwner;

  beforeAll(async () => {
    // Each UserAgent presents its own X-Forwarded-For address, so per-IP limits do not interfere.
    // (One app per file: Passport strategies are process-global.)
    app = await createTestApp({
      LOGIN_RATE_LIMIT_PER_USERNAME: '3',
      LOGIN_RATE_LIMIT_PER_IP: '5',
      TRUST_PROXY: 'true',
    });
    client = await createCodeClient(app, { firstParty: true });
    owner = await createOwner(app);
  });
  afterAll(async () => {
    await app.close();
  });

  async function loginPage(ua: UserAgent, extra: Record<string, string> = {}): Promise<UaResponse> {
    const res = await ua.follow(await ua.get(codeRequest(client.clientId, extra).url));
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="password"');
    return res;
  }

  it('R-AUTHZ-16: a successful login answers 303 and sets a signed HttpOnly SameSite=Lax session cookie', async () => {
    const ua = new UserAgent(app.publicServer);
    const page = await loginPage(ua);
    expect(page.text).toContain('test client');
    const res = await ua.submit(page, { username: owner.username, password: owner.password });
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/authorize\/resume\?req=/);
    const cookie = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('tessera_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // issuer is http in tests
    expect(cookie).toMatch(/^tessera_session=[^.;]+\.[^;]+;/); // value.signature
    const done = await ua.follow(res);
    expect(callbackParams(done).get('code')).toBeTruthy();
  });

  it('one generic message for a wrong password and an unknown user (no enumeration)', async () => {
    const owner = await createOwner(app);
    const ua = new UserAgent(app.publicServer);
    const page = await loginPage(ua);
    const wrong = await ua.submit(page, { username: owner.username, password: 'wrong password!' });
    const unknown = await ua.submit(page, { username: 'nobody-here', password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toContain('Invalid username or password.');
    const strip = (t: string) => t.replace(/value="[^"]*"/g, '');
    expect(strip(unknown.text)).toBe(strip(wrong.text));
    expect(ua.cookies.has('tessera_session')).toBe(false);
  });

  it('R-SEC-6: failed logins are rate-limited per username with 429 and Retry-After', async () => {
    const victim = await createOwner(app);
    const ua = new UserAgent(app.publicServer);
    const page = await loginPage(ua);
    for (let i = 0; i < 3; i++) {
      const res = await ua.submit(page, { username: victim.username, password: 'wrong password!' });
      expect(res.status).toBe(401);
    }
    const limited = await ua.submit(page, { username: victim.username, password: victim.password });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(ua.cookies.has('tessera_session')).toBe(false);
  });

  it('R-SEC-6: failed logins are rate-limited per IP', async () => {
    const ua = new UserAgent(app.publicServer);
    const page = await loginPage(ua);
    for (let i = 0; i < 5; i++) {
      const res = await ua.submit(page, { username: `someone-${i}`, password: 'wrong password!' });
      expect(res.status).toBe(401);
    }
    const limited = await ua.submit(page, { username: owner.username, password: owner.password });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    // Another address is not affected.
    const other = new UserAgent(app.publicServer);
    const ok = await other.submit(await loginPage(other), {
      username: owner.username,
      password: owner.password,
    });
    expect(ok.status).toBe(303);
  });

  it('R-SEC-4: a tampered or missing CSRF token is refused with a page', async () => {
    const ua = new UserAgent(app.publicServer);
    const page = await loginPage(ua);
    const tampered = await ua.submit(page, {
      csrf: 'x'.repeat(43),
      username: owner.username,
      password: owner.password,
    });
    expect(tampered.status).toBe(403);
    expect(tampered.location).toBeUndefined();
    const fields = hiddenFields(page.text);
    const missing = await ua.post('/login', {
      req: fields.req as string,
      username: owner.username,
      password: owner.password,
    });
    expect(missing.status).toBe(403);
    expect(ua.cookies.has('tessera_session')).toBe(false);
  });

  it('R-SEC-4: a login form replayed from another browser is refused', async () => {
    const victimUa = new UserAgent(app.publicServer);
    const attackerPage = await loginPage(new UserAgent(app.publicServer));
    const res = await victimUa.submit(attackerPage, { username: owner.username, password: owner.password });
    expect(res.status).toBe(400);
    expect(victimUa.cookies.has('tessera_session')).toBe(false);
  });

  it('a tampered, unknown or expired pending-request id shows a page', async () => {
    const ua = new UserAgent(app.publicServer);
    await loginPage(ua);
    for (const id of ['nope', 'A'.repeat(43), '<script>']) {
      const res = await ua.get(`/login?req=${encodeURIComponent(id)}`);
      expect(res.status).toBe(400);
      expect(res.location).toBeUndefined();
      expect(res.text).not.toContain('<script>');
    }
  });

  it('credentials in the query string are refused', async () => {
    const owner = await createOwner(app);
    const ua = new UserAgent(app.publicServer);
    const page = await loginPage(ua);
    const fields = hiddenFields(page.text);
    const res = await ua.post(`/login?username=${owner.username}&password=x`, {
      ...fields,
      username: owner.username,
      password: owner.password,
    });
    expect(res.status).toBe(400);
    expect(ua.cookies.has('tessera_session')).toBe(false);
  });

  it('an existing session skips the login page', async () => {
    const ua = new UserAgent(app.publicServer);
    await authorizeThroughPages(ua, codeRequest(client.clientId).url, owner);
    const res = await ua.get(codeRequest(client.clientId).url);
    expect(res.status).toBe(302);
    expect(callbackParams(res).get('code')).toBeTruthy();
  });

  it('prompt=login forces re-authentication even with a session', async () => {
    const ua = new UserAgent(app.publicServer);
    await authorizeThroughPages(ua, codeRequest(client.clientId).url, owner);
    const res = await ua.follow(await ua.get(codeRequest(client.clientId, { prompt: 'login' }).url));
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="password"');
    const done = await ua.follow(
      await ua.submit(res, { username: owner.username, password: owner.password }),
    );
    expect(callbackParams(done).get('code')).toBeTruthy();
  });

  it('max_age: a session older than max_age asks for the password again', async () => {
    const ua = new UserAgent(app.publicServer);
    await authorizeThroughPages(ua, codeRequest(client.clientId).url, owner);
    await new Promise((r) => setTimeout(r, 1100));
    const res = await ua.follow(await ua.get(codeRequest(client.clientId, { max_age: '0' }).url));
    expect(res.text).toContain('name="password"');
    const fresh = await ua.get(codeRequest(client.clientId, { max_age: '3600' }).url);
    expect(callbackParams(fresh).get('code')).toBeTruthy();
  });

  it('prompt=none with a session and first-party client returns a code without any page', async () => {
    const ua = new UserAgent(app.publicServer);
    await authorizeThroughPages(ua, codeRequest(client.clientId).url, owner);
    const req = codeRequest(client.clientId, { prompt: 'none' });
    const res = await ua.get(req.url);
    const params = callbackParams(res);
    expect(params.get('code')).toBeTruthy();
    expect(params.get('state')).toBe(req.state);
  });

  it('an expired session is treated as no session', async () => {
    const ua = new UserAgent(app.publicServer);
    await authorizeThroughPages(ua, codeRequest(client.clientId).url, owner);
    const cookie = ua.cookies.get('tessera_session') as string;
    const id = decodeURIComponent(cookie).replace(/\.[^.]+$/, '');
    await app.shared.store.delete(`session:${hashSecret(id)}`); // what SESSION_TTL expiry does
    const expired = await ua.get(codeRequest(client.clientId, { prompt: 'none' }).url);
    expect(callbackParams(expired).get('error')).toBe('login_required');
    await authorizeThroughPages(ua, codeRequest(client.clientId).url, owner);
    const fresh = ua.cookies.get('tessera_session') as string;
    // A forged cookie (signature broken) is ignored too.
    ua.cookies.set(
      'tessera_session',
      fresh.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
    );
    const res = await ua.get(codeRequest(client.clientId, { prompt: 'none' }).url);
    expect(callbackParams(res).get('error')).toBe('login_required');
  });

  it('GET /account without a session goes to a standalone login, which leads to /account', async () => {
    const ua = new UserAgent(app.publicServer);
    const res = await ua.get('/account');
    expect(res.status).toBe(302);
    expect(res.location).toBe('/login');
    const page = await ua.get('/login');
    expect(page.status).toBe(200);
    const after = await ua.submit(page, { username: owner.username, password: owner.password });
    expect(after.status).toBe(303);
    expect(after.location).toBe('/account');
    const account = await ua.get('/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain(owner.username);
  });

  it('the login page has the page security headers', async () => {
    const res = await request(app.publicServer).get('/login');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
