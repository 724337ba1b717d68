import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import * as oidc from 'openid-client';
import passport from 'passport';
import { Strategy as OAuth2Strategy, type StrategyOptions } from 'passport-oauth2';
import { AuthorizationCode, ClientCredentials } from 'simple-oauth2';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/create-test-app.js';
import { adminClient, adminOwner, launchChromium, serve, signInAndAllow } from '../support/interop.js';
import { createListeningTestApp } from '../support/listening-app.js';

/**
 * Issue 11: widely used client libraries, unmodified, against the running server over real
 * HTTP; the person's part (login, consent) in a real headless Chromium. Every client is set up
 * as the README says (admin API or dynamic registration), and every token is used at the
 * sample API (`<ISSUER>/api`, registered at first start with policy `any`).
 */
describe('real clients, unmodified (openid-client, passport-oauth2, simple-oauth2, a browser app)', () => {
  let app: TestApp;
  let issuer: string;
  let api: string;
  let browser: Browser;
  let owner: { username: string; password: string };
  let callback: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp({ REGISTRATION_POLICY: 'open' }));
    api = `${issuer}/api`;
    owner = await adminOwner(app, `alice${randomBytes(3).toString('hex')}`);
    callback = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('client callback reached');
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await callback?.close();
    await app?.close();
  });

  const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

  /** Opens an authorization URL in a fresh browser context, signs in, allows, returns where it landed. */
  async function authorizeInBrowser(url: string, landsOn: string, consentShows: string[] = []): Promise<URL> {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url);
      await signInAndAllow(page, owner, consentShows);
      await page.waitForURL((u) => u.toString().startsWith(landsOn));
      return new URL(page.url());
    } finally {
      await context.close();
    }
  }

  describe('openid-client v6', () => {
    const options = { execute: [oidc.allowInsecureRequests] };

    it('R-META-1/R-TOK-12/R-AT-6/R-INT-5/R-REV-1: discovery, client_credentials for the sample API, introspection of its own token, revocation', async () => {
      // openid-client sends the secret in the body unless told otherwise: register for that.
      const registered = await adminClient(app, {
        client_name: 'openid-client job',
        grant_types: ['client_credentials'],
        scope: 'profile notes:read',
        token_endpoint_auth_method: 'client_secret_post',
      });
      const config = await oidc.discovery(
        new URL(issuer),
        registered.client_id,
        registered.client_secret,
        undefined,
        options,
      );
      expect(config.serverMetadata().token_endpoint).toBe(`${issuer}/token`);
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'notes:read', resource: api });
      expect(tokens.scope).toBe('notes:read');
      expect((await fetch(`${api}/notes`, bearer(tokens.access_token))).status).toBe(200);

      const info = await oidc.tokenIntrospection(config, tokens.access_token);
      expect(info).toMatchObject({
        active: true,
        client_id: registered.client_id,
        aud: api,
        scope: 'notes:read',
      });
      await oidc.tokenRevocation(config, tokens.access_token);
      expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    });

    it('R-AUTHZ-11/R-PKCE-1/R-RT-3/R-REV-7: code + PKCE in Chromium, /api/me, refresh, revocation of the grant', async () => {
      const redirectUri = `${callback.origin}/oidc-cb`;
      const registered = await adminClient(app, {
        client_name: 'openid-client web app',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        scope: 'profile notes:read',
        token_endpoint_auth_method: 'client_secret_post',
      });
      const config = await oidc.discovery(
        new URL(issuer),
        registered.client_id,
        registered.client_secret,
        undefined,
        options,
      );
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'profile notes:read',
        resource: api,
        state,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      // R-AUTHZ-13: the consent page names the registered resource and its scopes' wording.
      const landed = await authorizeInBrowser(url.href, redirectUri, [
        'Tessera sample API',
        api,
        'Read your notes',
      ]);
      const tokens = await oidc.authorizationCodeGrant(config, landed, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      const me = await fetch(`${api}/me`, bearer(tokens.access_token));
      expect(me.status).toBe(200);
      expect(((await me.json()) as { username?: string }).username).toBe(owner.username);

      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token as string);
      expect((await fetch(`${api}/me`, bearer(refreshed.access_token))).status).toBe(200);
      const own = await oidc.tokenIntrospection(config, refreshed.refresh_token as string);
      expect(own).toMatchObject({ active: true, token_type: 'refresh_token' });

      await oidc.tokenRevocation(config, refreshed.refresh_token as string);
      await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token as string)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
    });
  });

  it('passport-oauth2 in an Express app: a full login through the strategy, then the token at /api/me', async () => {
    const web = express();
    let server: Server | undefined;
    await new Promise<void>((resolve) => {
      server = web.listen(0, '127.0.0.1', () => resolve());
    });
    const origin = `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
    try {
      // The `oauth` library under passport-oauth2 always sends the secret in the body.
      const registered = await adminClient(app, {
        client_name: 'Express app',
        redirect_uris: [`${origin}/auth/callback`],
        grant_types: ['authorization_code', 'refresh_token'],
        scope: 'profile notes:read',
        token_endpoint_auth_method: 'client_secret_post',
      });
      // passport-oauth2's documented `store` option: PKCE verifiers kept in memory (no session).
      const pending = new Map<string, string>();
      const store = {
        store: (
          _req: unknown,
          verifier: string,
          _state: unknown,
          _meta: unknown,
          cb: (e: null, h: string) => void,
        ) => {
          const handle = randomBytes(16).toString('hex');
          pending.set(handle, verifier);
          cb(null, handle);
        },
        verify: (
          _req: unknown,
          handle: string,
          cb: (e: null, ok: string | false, state?: unknown) => void,
        ) => {
          const verifier = pending.get(handle);
          pending.delete(handle);
          cb(null, verifier ?? false, handle);
        },
      };
      const strategy = new OAuth2Strategy(
        {
          authorizationURL: `${issuer}/authorize`,
          tokenURL: `${issuer}/token`,
          clientID: registered.client_id,
          clientSecret: registered.client_secret as string,
          callbackURL: `${origin}/auth/callback`,
          scope: 'profile notes:read',
          pkce: true,
          state: true,
          store,
        } as unknown as StrategyOptions,
        (
          accessToken: string,
          refreshToken: string,
          _profile: unknown,
          done: (e: null, user: object) => void,
        ) => done(null, { accessToken, refreshToken }),
      );
      passport.use('tessera', strategy);
      web.use(passport.initialize());
      web.get('/auth/login', passport.authenticate('tessera', { session: false }));
      web.get('/auth/callback', passport.authenticate('tessera', { session: false }), (req, res, next) => {
        const user = req.user as { accessToken: string; refreshToken?: string };
        fetch(`${api}/me`, bearer(user.accessToken))
          .then(async (me) => {
            res.json({ status: me.status, me: await me.json(), refresh: Boolean(user.refreshToken) });
          })
          .catch(next);
      });

      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${origin}/auth/login`);
      await signInAndAllow(page, owner);
      await page.waitForURL((u) => u.toString().startsWith(`${origin}/auth/callback`));
      const result = JSON.parse((await page.textContent('body')) ?? '{}') as {
        status: number;
        me: { username?: string };
        refresh: boolean;
      };
      await context.close();
      expect(result).toMatchObject({ status: 200, me: { username: owner.username }, refresh: true });
    } finally {
      passport.unuse('tessera');
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    }
  });

  it('simple-oauth2: client credentials, code + PKCE, refresh, revoke() and revokeAll()', async () => {
    const ccAuth = { tokenHost: issuer, tokenPath: '/token', revokePath: '/revoke' };
    const auth = { ...ccAuth, authorizePath: '/authorize' };
    // Admin-created clients default to client_secret_basic, which simple-oauth2 sends by default.
    const machine = await adminClient(app, {
      client_name: 'simple-oauth2 job',
      grant_types: ['client_credentials'],
      scope: 'notes:read',
    });
    const cc = new ClientCredentials({
      client: { id: machine.client_id, secret: machine.client_secret as string },
      auth: ccAuth,
    });
    const ccToken = await cc.getToken({ scope: 'notes:read', resource: api });
    expect((await fetch(`${api}/notes`, bearer(ccToken.token.access_token as string))).status).toBe(200);
    await ccToken.revoke('access_token');

    const redirectUri = `${callback.origin}/simple-cb`;
    const webClient = await adminClient(app, {
      client_name: 'simple-oauth2 web app',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'profile notes:read',
    });
    const codeClient = new AuthorizationCode({
      client: { id: webClient.client_id, secret: webClient.client_secret as string },
      auth,
    });
    const verifier = randomBytes(32).toString('base64url');
    const { createHash } = await import('node:crypto');
    const state = randomBytes(8).toString('hex');
    const url = codeClient.authorizeURL({
      redirect_uri: redirectUri,
      scope: 'profile notes:read',
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      resource: api,
    } as never);
    const landed = await authorizeInBrowser(url, redirectUri);
    expect(landed.searchParams.get('state')).toBe(state);
    const token = await codeClient.getToken({
      code: landed.searchParams.get('code') as string,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    } as never);
    expect((await fetch(`${api}/me`, bearer(token.token.access_token as string))).status).toBe(200);
    const refreshed = await token.refresh();
    expect((await fetch(`${api}/me`, bearer(refreshed.token.access_token as string))).status).toBe(200);
    await refreshed.revoke('access_token');
    await refreshed.revokeAll();
    await expect(refreshed.refresh()).rejects.toMatchObject({ output: { statusCode: 400 } });
  });

  it('R-MCP-17/R-TOK-14: a browser app on another origin runs discovery, registration, code + PKCE, token and /api/me with fetch', async () => {
    const page = browserClientPage(issuer);
    const spa = await serve((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(req.url?.startsWith('/app') ? page : 'not found');
    });
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(`${spa.origin}/app`);
      await signInAndAllow(tab, owner);
      await tab.waitForURL((u) => u.toString().startsWith(`${spa.origin}/app?`));
      await tab.waitForFunction(
        "/^(done|error)/.test(document.getElementById('out')?.textContent ?? '')",
        null,
        {
          timeout: 15_000,
        },
      );
      const text = (await tab.textContent('#out')) ?? '';
      expect(text).toMatch(/^done /);
      const result = JSON.parse(text.slice(5)) as {
        me: number;
        body: { username?: string };
        unauthStatus: number;
        challenge: string | null;
      };
      expect(result.me).toBe(200);
      expect(result.body.username).toBe(owner.username);
      // The 401 is readable cross-origin, WWW-Authenticate included (exposed).
      expect(result.unauthStatus).toBe(401);
      expect(result.challenge).toMatch(/^Bearer .*resource_metadata=/);
    } finally {
      await context.close();
      await spa.close();
    }
  });
});

/** A single-page app with no library: WebCrypto PKCE and fetch, as a browser-based client does. */
function browserClientPage(issuer: string): string {
  return `<!doctype html><meta charset="utf-8"><title>SPA</title><pre id="out">starting</pre>
<script type="module">
const AS = ${JSON.stringify(issuer)};
const out = (s) => { document.getElementById('out').textContent = s; };
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const params = new URLSearchParams(location.search);
const redirectUri = location.origin + '/app';
try {
  const meta = await (await fetch(AS + '/.well-known/oauth-authorization-server')).json();
  if (!params.has('code')) {
    const reg = await fetch(meta.registration_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_name: 'SPA', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none', scope: 'profile notes:read' }),
    });
    if (reg.status !== 201) throw new Error('register ' + reg.status + ' ' + (await reg.text()));
    const client = await reg.json();
    const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
    const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
    sessionStorage.setItem('flow', JSON.stringify({ clientId: client.client_id, verifier, state }));
    const url = new URL(meta.authorization_endpoint);
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: client.client_id, redirect_uri: redirectUri,
      scope: 'profile notes:read', state, code_challenge: challenge, code_challenge_method: 'S256', resource: AS + '/api' })) {
      url.searchParams.set(k, v);
    }
    location.assign(url.href);
  } else {
    const flow = JSON.parse(sessionStorage.getItem('flow'));
    if (params.get('state') !== flow.state || params.get('iss') !== meta.issuer) throw new Error('state or iss mismatch');
    const tokenRes = await fetch(meta.token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri,
        client_id: flow.clientId, code_verifier: flow.verifier }),
    });
    const tokens = await tokenRes.json();
    if (tokenRes.status !== 200) throw new Error('token ' + tokenRes.status + ' ' + JSON.stringify(tokens));
    const me = await fetch(AS + '/api/me', { headers: { Authorization: 'Bearer ' + tokens.access_token } });
    const unauth = await fetch(AS + '/api/me');
    out('done ' + JSON.stringify({ me: me.status, body: await me.json(), unauthStatus: unauth.status,
      challenge: unauth.headers.get('WWW-Authenticate') }));
  }
} catch (e) { out('error ' + e.message); }
</script>`;
}
