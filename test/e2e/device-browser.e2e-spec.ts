import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import * as openid from 'openid-client';
import { createOwner, type TestOwner } from '../support/authorize-flow.js';
import type { TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { API, createDeviceClient } from '../support/device.js';
import { createListeningTestApp } from '../support/listening-app.js';

/**
 * The device flow as users meet it: openid-client (unmodified) on the "device" starts the flow
 * and polls, while a person in headless Debian Chromium types the code, signs in and decides.
 */
describe('device flow with openid-client and a real browser', () => {
  let app: TestApp;
  let issuer: string;
  let browser: Browser;
  let tv: TestClient;
  let owner: TestOwner;
  let config: openid.Configuration;

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp({ DEVICE_CODE_INTERVAL: '1' }));
    tv = await createDeviceClient(app);
    owner = await createOwner(app);
    config = await openid.discovery(new URL(issuer), tv.clientId, undefined, openid.None(), {
      execute: [openid.allowInsecureRequests],
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function ownerDecides(verificationUri: string, userCode: string, button: 'Allow' | 'Deny') {
    const context = await browser.newContext();
    const page = await context.newPage();
    const entry = await page.goto(verificationUri);
    expect(entry?.headers()['x-frame-options']).toBe('DENY');
    await page.getByLabel('Code').fill(userCode.toLowerCase());
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/device\/login\?v=/);
    await page.getByLabel('Username').fill(owner.username);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/device\/confirm\?v=/);
    const text = (await page.textContent('body')) ?? '';
    expect(text).toContain('Living Room TV');
    expect(text).toContain('read');
    expect(text).toContain(API);
    await page.getByRole('button', { name: button }).click();
    await page.waitForLoadState();
    const done = (await page.textContent('body')) ?? '';
    await context.close();
    return done;
  }

  it('R-DEV-1..R-DEV-9: initiateDeviceAuthorization, the owner allows in Chromium, pollDeviceAuthorizationGrant gets tokens', async () => {
    const response = await openid.initiateDeviceAuthorization(config, { scope: 'read', resource: API });
    expect(response.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    const polling = openid.pollDeviceAuthorizationGrant(config, response);
    const done = await ownerDecides(response.verification_uri, response.user_code, 'Allow');
    expect(done).toContain('Device connected');
    const tokens = await polling;
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope).toBe('read');
    expect(tokens.refresh_token).toEqual(expect.any(String));
    // The refresh token works with the same library afterwards.
    const refreshed = await openid.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.access_token).toEqual(expect.any(String));
  }, 60_000);

  it('R-DEV-8: the owner denies in Chromium; pollDeviceAuthorizationGrant rejects with access_denied', async () => {
    const response = await openid.initiateDeviceAuthorization(config, { scope: 'read', resource: API });
    const polling = openid.pollDeviceAuthorizationGrant(config, response).catch((e: unknown) => e);
    const done = await ownerDecides(response.verification_uri_complete as string, response.user_code, 'Deny');
    expect(done).toContain('Request denied');
    const error = (await polling) as { error?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error.error).toBe('access_denied');
  }, 60_000);
});
