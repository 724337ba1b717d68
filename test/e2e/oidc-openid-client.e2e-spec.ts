import type { Server } from 'node:http';
import * as client from 'openid-client';
import type { Browser, BrowserContext } from 'playwright-core';
import { adminRequest } from '../support/admin-request.js';
import { createCodeClient, createOwner, type TestOwner } from '../support/authorize-flow.js';
import type { TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { createListeningTestApp } from '../support/listening-app.js';
import { authorizeInBrowser, launchChromium, startRpServer, trackPages } from '../support/oidc-browser.js';

/**
 * OpenID Connect driven by openid-client v6 (unmodified) as the relying party, and a person
 * in headless Debian Chromium signing in, consenting and signing out.
 */
describe('OpenID Connect with openid-client through Chromium', () => {
  let app: TestApp;
  let issuer: string;
  let browser: Browser;
  let rp: { server: Server; origin: string; hits: URL[] };
  let rpClient: TestClient;
  let owner: TestOwner;
  let config: client.Configuration;
  let context: BrowserContext;
  let callback: string;
  let loggedOut: string;
  let first: { idToken: string; claims: client.IDToken; refreshToken: string; accessToken: string };

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp());
    rp = await startRpServer();
    callback = `${rp.origin}/callback`;
    loggedOut = `${rp.origin}/logged-out`;
    rpClient = await createCodeClient(app, {
      tokenEndpointAuthMethod: 'none',
      clientName: 'OIDC RP',
      redirectUris: [callback],
      scope: 'openid profile email',
      metadata: { post_logout_redirect_uris: [loggedOut] },
    });
    owner = await createOwner(app);
    // R-OIDC claims through the admin API.
    await adminRequest(app)
      .patch(`/admin/owners/${owner.id}`, {
        email: 'alice@example.com',
        claims: {
          name: 'Alice Liddell',
          given_name: 'Alice',
          family_name: 'Liddell',
          email_verified: true,
          locale: 'en-GB',
        },
      })
      .expect(200);
    browser = await launchChromium();
    context = await browser.newContext();
    config = await client.discovery(new URL(issuer), rpClient.clientId, undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rp?.server.close();
    await app?.close();
  });

  function authorizationUrl(extra: Record<string, string> = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    return client.calculatePKCECodeChallenge(verifier).then((challenge) => ({
      url: client.buildAuthorizationUrl(config, {
        redirect_uri: callback,
        scope: 'openid profile email',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        nonce,
        state,
        ...extra,
      }),
      verifier,
      nonce,
      state,
    }));
  }

  it('R-OIDC-9: discovery document lists userinfo, end_session, RS256 and ES256, code only', () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.userinfo_endpoint).toBe(`${issuer}/userinfo`);
    expect(metadata.end_session_endpoint).toBe(`${issuer}/end-session`);
    expect(metadata.jwks_uri).toBe(`${issuer}/jwks`);
    expect(metadata.id_token_signing_alg_values_supported).toEqual(
      expect.arrayContaining(['RS256', 'ES256']),
    );
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.subject_types_supported).toEqual(['public']);
    expect(metadata.claims_parameter_supported).toBe(false);
    expect(metadata.request_parameter_supported).toBe(false);
    expect(metadata.prompt_values_supported).toEqual(['none', 'login', 'consent']);
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(['sub', 'name', 'email', 'auth_time']));
  });

  it('R-OIDC-1, R-OIDC-2, R-OIDC-4, R-OIDC-7, R-OIDC-8: code + PKCE + nonce; openid-client validates the ID token; userinfo answers the scoped claims', async () => {
    const page = await context.newPage();
    const started = Math.floor(Date.now() / 1000);
    const request = await authorizationUrl();
    const landed = await authorizeInBrowser(page, request.url, callback, owner);
    const tokens = await client.authorizationCodeGrant(config, landed, {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
      idTokenExpected: true,
    });
    const claims = tokens.claims() as client.IDToken;
    expect(claims).toMatchObject({
      iss: issuer,
      sub: owner.id,
      aud: rpClient.clientId,
      nonce: request.nonce,
      azp: rpClient.clientId,
      amr: ['pwd'],
    });
    expect(claims.auth_time).toBeGreaterThanOrEqual(started - 1);
    expect(typeof claims.sid).toBe('string');
    expect(typeof claims.at_hash).toBe('string');
    expect(claims.exp - claims.iat).toBe(3600);

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({
      sub: owner.id,
      name: 'Alice Liddell',
      given_name: 'Alice',
      family_name: 'Liddell',
      preferred_username: owner.username,
      email: 'alice@example.com',
      email_verified: true,
      locale: 'en-GB',
    });
    first = {
      idToken: tokens.id_token as string,
      claims,
      refreshToken: tokens.refresh_token as string,
      accessToken: tokens.access_token,
    };
    await page.close();
  }, 60_000);

  it('R-OIDC-4: refresh returns a new ID token with the same sub, auth_time and sid, without nonce', async () => {
    const refreshed = await client.refreshTokenGrant(config, first.refreshToken);
    const claims = refreshed.claims() as client.IDToken;
    expect(refreshed.id_token).not.toBe(first.idToken);
    expect(claims.sub).toBe(first.claims.sub);
    expect(claims.auth_time).toBe(first.claims.auth_time);
    expect(claims.sid).toBe(first.claims.sid);
    expect(claims.nonce).toBeUndefined();
    expect(typeof claims.at_hash).toBe('string');
  });

  it('R-OIDC-5: prompt=none with a session answers a code without showing any page', async () => {
    const page = await context.newPage();
    const seen = trackPages(page);
    const request = await authorizationUrl({ prompt: 'none' });
    await page.goto(request.url.toString());
    await page.waitForURL((u) => u.toString().startsWith(callback));
    expect(seen.filter((p) => p === '/login' || p === '/consent')).toEqual([]);
    const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
    });
    expect(tokens.claims()?.sub).toBe(owner.id);
    await page.close();
  }, 60_000);

  it('R-OIDC-5: prompt=none without a session redirects login_required with iss and state, no page', async () => {
    const fresh = await browser.newContext();
    const page = await fresh.newPage();
    const seen = trackPages(page);
    const request = await authorizationUrl({ prompt: 'none' });
    await page.goto(request.url.toString());
    await page.waitForURL((u) => u.toString().startsWith(callback));
    expect(seen.filter((p) => p === '/login' || p === '/consent')).toEqual([]);
    const landed = new URL(page.url());
    expect(landed.searchParams.get('iss')).toBe(issuer);
    await expect(
      client.authorizationCodeGrant(config, landed, {
        pkceCodeVerifier: request.verifier,
        expectedNonce: request.nonce,
        expectedState: request.state,
      }),
    ).rejects.toMatchObject({ error: 'login_required' });
    await fresh.close();
  }, 60_000);

  it('R-OIDC-6: max_age=0 makes the owner sign in again; auth_time is the new sign-in', async () => {
    const page = await context.newPage();
    const seen = trackPages(page);
    await new Promise((r) => setTimeout(r, 1100)); // auth_time has one-second resolution
    const request = await authorizationUrl({ max_age: '0' });
    const landed = await authorizeInBrowser(page, request.url, callback, owner);
    expect(seen).toContain('/login');
    const tokens = await client.authorizationCodeGrant(config, landed, {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
      maxAge: 0,
    });
    expect((tokens.claims() as client.IDToken).auth_time).toBeGreaterThan(first.claims.auth_time as number);
    first = { ...first, idToken: tokens.id_token as string, claims: tokens.claims() as client.IDToken };
    await page.close();
  }, 60_000);

  it('R-OIDC-10: RP-initiated logout with id_token_hint, post_logout_redirect_uri and state signs out and returns to the RP', async () => {
    const page = await context.newPage();
    const state = client.randomState();
    const url = client.buildEndSessionUrl(config, {
      id_token_hint: first.idToken,
      post_logout_redirect_uri: loggedOut,
      state,
    });
    await page.goto(url.toString());
    await page.waitForURL((u) => u.toString().startsWith(loggedOut));
    expect(new URL(page.url()).searchParams.get('state')).toBe(state);

    // The session is gone: prompt=none now answers login_required.
    const request = await authorizationUrl({ prompt: 'none' });
    await page.goto(request.url.toString());
    await page.waitForURL((u) => u.toString().startsWith(callback));
    expect(new URL(page.url()).searchParams.get('error')).toBe('login_required');
    await page.close();
  }, 60_000);

  it('R-OIDC-10: without id_token_hint the owner is asked to confirm before being signed out', async () => {
    const page = await context.newPage();
    const request = await authorizationUrl();
    await authorizeInBrowser(page, request.url, callback, owner);
    const url = client.buildEndSessionUrl(config, {
      client_id: rpClient.clientId,
      post_logout_redirect_uri: loggedOut,
      state: 's-2',
    });
    await page.goto(url.toString());
    expect(new URL(page.url()).pathname).toBe('/end-session');
    expect(await page.textContent('body')).toContain('OIDC RP');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.toString().startsWith(loggedOut));
    expect(new URL(page.url()).searchParams.get('state')).toBe('s-2');
    const again = await authorizationUrl({ prompt: 'none' });
    await page.goto(again.url.toString());
    await page.waitForURL((u) => u.toString().startsWith(callback));
    expect(new URL(page.url()).searchParams.get('error')).toBe('login_required');
    await page.close();
  }, 60_000);
});
