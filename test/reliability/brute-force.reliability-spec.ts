import { codeRequest, createCodeClient, createOwner, type TestOwner } from '../support/authorize-flow.js';
import type { TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { startSecondInstance } from '../support/second-instance.js';
import { UserAgent, type UaResponse } from '../support/user-agent.js';

// Long enough that the failures of one test (argon2 on a loaded machine) fit in one window.
const WINDOW = 8;

/**
 * Issue 7 item 8 (R-SEC-6): failed logins are counted in the shared short-lived store, so the
 * limits hold across two instances; after the window a correct password works again.
 */
describe('brute force across two instances', () => {
  let app: TestApp;
  let second: Awaited<ReturnType<typeof startSecondInstance>>;
  let client: TestClient;
  let owner: TestOwner;

  beforeAll(async () => {
    app = await createTestApp({
      TRUST_PROXY: 'true',
      LOGIN_RATE_LIMIT_PER_USERNAME: '4',
      LOGIN_RATE_LIMIT_PER_IP: '6',
      LOGIN_RATE_LIMIT_WINDOW: String(WINDOW),
    });
    second = await startSecondInstance(app);
    client = await createCodeClient(app);
    owner = await createOwner(app);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await app?.close();
  });

  const loginPage = async (ua: UserAgent): Promise<UaResponse> => {
    const res = await ua.follow(await ua.get(codeRequest(client.clientId).url));
    expect(res.text).toContain('name="password"');
    return res;
  };
  /** A browser per instance, both from `ip`. */
  const browsers = async (ip: string) => {
    const a = new UserAgent(app.publicServer, { ip });
    const b = new UserAgent(second.server, { ip });
    return { a, b, pageA: await loginPage(a), pageB: await loginPage(b) };
  };
  const waitWindow = () => new Promise((resolve) => setTimeout(resolve, WINDOW * 1000 + 1100));

  it('R-SEC-6/ISSUE16-L5: failures for one (username, address) at A and B are throttled at both (429 + Retry-After), never from another address; then the window ends', async () => {
    const { a, b, pageA, pageB } = await browsers('10.1.1.1');
    const other = await browsers('10.1.1.2'); // per (username, address): never a lock of the username
    const wrong = { username: owner.username, password: 'wrong password!' };
    expect((await a.submit(pageA, wrong)).status).toBe(401);
    expect((await b.submit(pageB, wrong)).status).toBe(401);
    expect((await a.submit(pageA, wrong)).status).toBe(401);
    expect((await b.submit(pageB, wrong)).status).toBe(401);
    const right = { username: owner.username, password: owner.password };
    for (const [ua, page] of [
      [a, pageA],
      [b, pageB],
    ] as const) {
      const limited = await ua.submit(page, right);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW);
    }
    // The owner signs in from another address at once (issue 16 L5: no hard lock of the username).
    expect((await other.b.submit(other.pageB, right)).status).toBe(303);
    await waitWindow();
    const ok = await b.submit(await loginPage(b), right);
    expect(ok.status).toBe(303);
  }, 60_000);

  it('R-SEC-6: failures from one address at A and B are throttled at both, whatever the username', async () => {
    const { a, b, pageA, pageB } = await browsers('10.2.2.2');
    for (let i = 0; i < 6; i++) {
      const [ua, page] = i % 2 === 0 ? [a, pageA] : [b, pageB];
      const res = await ua.submit(page, { username: `nobody-${i}`, password: 'wrong password!' });
      expect(res.status).toBe(401);
    }
    const right = { username: owner.username, password: owner.password };
    const limitedA = await a.submit(pageA, right);
    const limitedB = await b.submit(pageB, right);
    expect([limitedA.status, limitedB.status]).toEqual([429, 429]);
    expect(Number(limitedB.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected; after the window this one works again.
    const elsewhere = new UserAgent(second.server, { ip: '10.2.2.3' });
    expect((await elsewhere.submit(await loginPage(elsewhere), right)).status).toBe(303);
    await waitWindow();
    expect((await a.submit(await loginPage(a), right)).status).toBe(303);
  }, 60_000);
});
