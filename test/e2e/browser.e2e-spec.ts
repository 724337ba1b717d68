import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { createCodeClient, createOwner, ISSUER, pkce, type TestOwner } from '../support/authorize-flow.js';
import type { TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/** A test client's callback (and a hostile page that tries to frame the AS). */
function startClientServer(asOrigin: () => string): Promise<{ server: Server; origin: string; hits: URL[] }> {
  const hits: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/frame') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(
        `<!doctype html><title>framer</title><iframe name="as" src="${asOrigin()}/login" width="600" height="300"></iframe><iframe name="control" src="/control" width="600" height="100"></iframe>`,
      );
      return;
    }
    hits.push(url);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('client callback reached');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}`, hits });
    });
  });
}

describe('real browser (headless Debian Chromium)', () => {
  let app: TestApp;
  let browser: Browser;
  let asOrigin: string;
  let clientServer: { server: Server; origin: string; hits: URL[] };
  let client: TestClient;
  let owner: TestOwner;

  beforeAll(async () => {
    // CI installs Chromium (.ci/run); a missing browser must fail the suite, never skip it.
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await createTestApp();
    await app.publicApp.listen(0, '127.0.0.1');
    asOrigin = `http://127.0.0.1:${(app.publicServer.address() as AddressInfo).port}`;
    clientServer = await startClientServer(() => asOrigin);
    client = await createCodeClient(app, {
      tokenEndpointAuthMethod: 'none',
      clientName: 'Browser Test Client',
      redirectUris: ['http://127.0.0.1/callback'],
    });
    owner = await createOwner(app);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    clientServer?.server.close();
    await app?.close();
  });

  it('R-AUTHZ-11/R-AUTHZ-16: logs in, consents and lands on the client callback with a code, state and iss', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { challenge } = pkce();
    const redirectUri = `${clientServer.origin}/callback`;
    const url = new URL(`${asOrigin}/authorize`);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: redirectUri,
      scope: 'openid read',
      state: 'browser-state-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })) {
      url.searchParams.set(k, v);
    }

    const loginResponse = await page.goto(url.toString());
    expect(loginResponse?.status()).toBe(200);
    expect(page.url()).toContain('/login?req=');
    await page.getByLabel('Username').fill(owner.username);
    await page.getByLabel('Password').fill(owner.password);
    await page.screenshot({ path: join(ARTIFACTS, 'login.png'), fullPage: true });
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL(/\/consent\?req=/);
    expect(await page.textContent('body')).toContain('Browser Test Client');
    expect(await page.textContent('body')).toContain('127.0.0.1');
    await page.screenshot({ path: join(ARTIFACTS, 'consent.png'), fullPage: true });
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.waitForURL((u) => u.toString().startsWith(redirectUri));
    const landed = new URL(page.url());
    expect(landed.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(landed.searchParams.get('state')).toBe('browser-state-1');
    expect(landed.searchParams.get('iss')).toBe(ISSUER);
    expect(
      clientServer.hits.some((h) => h.searchParams.get('code') === landed.searchParams.get('code')),
    ).toBe(true);
    await context.close();
  }, 60_000);

  it('R-AUTHZ-14: the login page refuses to be framed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const direct = await page.goto(`${asOrigin}/login`);
    expect(direct?.headers()['x-frame-options']).toBe('DENY');
    expect(direct?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");

    await page.goto(`${clientServer.origin}/frame`, { waitUntil: 'load' }); // waits for both frames
    const control = page.frame({ name: 'control' });
    expect(await control?.content()).toContain('client callback reached'); // framing works in general
    const framed = page.frame({ name: 'as' });
    expect(framed).toBeTruthy();
    const framedContent = await (framed as NonNullable<typeof framed>).content().catch(() => '');
    expect(framedContent).not.toContain('name="password"');
    await page.screenshot({ path: join(ARTIFACTS, 'framing-refused.png') });
    await context.close();
  }, 60_000);
});
