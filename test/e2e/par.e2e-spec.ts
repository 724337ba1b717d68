import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { calculateJwkThumbprint, decodeJwt, exportJWK } from 'jose';
import request from 'supertest';
import {
  authorizeThroughPages,
  codeRequest,
  createOwner,
  pkce,
  REDIRECT_URI,
  type TestOwner,
} from '../support/authorize-flow.js';
import { basicAuth, createClient, type TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { createListeningTestApp } from '../support/listening-app.js';
import { UserAgent } from '../support/user-agent.js';

const codeClient = (app: TestApp, overrides: Parameters<typeof createClient>[1] = {}) =>
  createClient(app, {
    redirectUris: [REDIRECT_URI],
    grantTypes: ['authorization_code', 'refresh_token'],
    responseTypes: ['code'],
    scope: 'openid read',
    firstParty: true,
    ...overrides,
  });

/** RFC 9126 pushed authorization requests at POST /par, through the one /authorize pipeline. */
describe('pushed authorization requests (RFC 9126)', () => {
  let app: TestApp;
  let issuer: string;
  let owner: TestOwner;
  let confidential: TestClient;
  let publicClient: TestClient;

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp());
    owner = await createOwner(app);
    confidential = await codeClient(app);
    publicClient = await codeClient(app, { tokenEndpointAuthMethod: 'none' });
  });
  afterAll(async () => {
    await app.close();
  });

  const ua = () => new UserAgent(app.publicServer, { origin: issuer });
  const par = (c: TestClient, params: Record<string, string>) => {
    const req = request(app.publicServer).post('/par').type('form');
    return (c.secret ? req.set('Authorization', basicAuth(c.clientId, c.secret)) : req).send(
      c.secret ? params : { client_id: c.clientId, ...params },
    );
  };
  const pushParams = () => {
    const p = pkce();
    return {
      pkce: p,
      params: {
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        code_challenge: p.challenge,
        code_challenge_method: 'S256',
        scope: 'openid read',
        state: 'st-1',
      },
    };
  };
  const authorizeUrl = (clientId: string, requestUri: string, extra: Record<string, string> = {}) =>
    `/authorize?${new URLSearchParams({ client_id: clientId, request_uri: requestUri, ...extra }).toString()}`;

  it('R-PAR-1: metadata advertises the PAR endpoint and that PAR is optional by default', async () => {
    const res = await request(app.publicServer).get('/.well-known/oauth-authorization-server');
    expect(res.body.pushed_authorization_request_endpoint).toBe(`${issuer}/par`);
    expect(res.body.require_pushed_authorization_requests).toBe(false);
  });

  it('R-PAR-1/R-PAR-5/R-DPOP-10: openid-client buildAuthorizationUrlWithPAR with a DPoP handle, code + PKCE, DPoP-bound tokens', async () => {
    const config = await client.discovery(new URL(issuer), publicClient.clientId, undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
    const pair = await client.randomDPoPKeyPair();
    const DPoP = client.getDPoPHandle(config, pair);
    const verifier = client.randomPKCECodeVerifier();
    const url = await client.buildAuthorizationUrlWithPAR(
      config,
      {
        redirect_uri: REDIRECT_URI,
        scope: 'openid read',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      },
      { DPoP },
    );
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(url.searchParams.get('request_uri')).toMatch(
      /^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/,
    );
    const res = await authorizeThroughPages(ua(), url.href, owner);
    const callback = new URL(res.location as string);
    // The DPoP header at /par bound the code: another key cannot redeem it (RFC 9449 §10.1).
    const stolen = await authorizeThroughPages(
      ua(),
      (
        await client.buildAuthorizationUrlWithPAR(
          config,
          {
            redirect_uri: REDIRECT_URI,
            scope: 'openid read',
            code_challenge: await client.calculatePKCECodeChallenge(verifier),
            code_challenge_method: 'S256',
          },
          { DPoP },
        )
      ).href,
      owner,
    );
    await expect(
      client.authorizationCodeGrant(
        config,
        new URL(stolen.location as string),
        { pkceCodeVerifier: verifier },
        undefined,
        {
          DPoP: client.getDPoPHandle(config, await client.randomDPoPKeyPair()),
        },
      ),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    const tokens = await client.authorizationCodeGrant(
      config,
      callback,
      { pkceCodeVerifier: verifier },
      undefined,
      {
        DPoP,
      },
    );
    expect(tokens.token_type).toBe('dpop');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({
      jkt: await calculateJwkThumbprint(await exportJWK(pair.publicKey), 'sha256'),
    });
  });

  it('R-PAR-2/R-PAR-5: oauth4webapi pushedAuthorizationRequest with client_secret_basic and a DPoP handle', async () => {
    const options = { [oauth.allowInsecureRequests]: true };
    const as = await oauth.processDiscoveryResponse(
      new URL(issuer),
      await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oauth2', ...options }),
    );
    const c: oauth.Client = { client_id: confidential.clientId };
    const auth = oauth.ClientSecretBasic(confidential.secret);
    const DPoP = oauth.DPoP(c, await oauth.generateKeyPair('ES256'));
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const pushed = await oauth.pushedAuthorizationRequest(
      as,
      c,
      auth,
      {
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope: 'openid read',
        state,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      },
      { DPoP, ...options },
    );
    expect(pushed.status).toBe(201);
    expect(pushed.headers.get('cache-control')).toBe('no-store');
    const { request_uri: requestUri, expires_in: expiresIn } = await oauth.processPushedAuthorizationResponse(
      as,
      c,
      pushed,
    );
    expect(expiresIn).toBe(60);
    const res = await authorizeThroughPages(ua(), authorizeUrl(c.client_id, requestUri), owner);
    const params = oauth.validateAuthResponse(as, c, new URL(res.location as string), state);
    const response = await oauth.authorizationCodeGrantRequest(as, c, auth, params, REDIRECT_URI, verifier, {
      DPoP,
      ...options,
    });
    const tokens = await oauth.processAuthorizationCodeResponse(as, c, response);
    expect(tokens.token_type).toBe('dpop');
  });

  it('R-PAR-3: a pushed request carrying request_uri, or a body client_id of another client, is invalid_request', async () => {
    const { params } = pushParams();
    const withUri = await par(confidential, {
      ...params,
      request_uri: 'urn:ietf:params:oauth:request_uri:x',
    });
    expect([withUri.status, withUri.body.error]).toEqual([400, 'invalid_request']);
    const other = await par(confidential, { ...params, client_id: publicClient.clientId });
    expect([other.status, other.body.error]).toEqual([400, 'invalid_request']);
  });

  it('R-PAR-4/R-PAR-6/R-PAR-9: invalid parameters (an unregistered redirect_uri included) come back as JSON from /par, never as a redirect', async () => {
    const { params } = pushParams();
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...params, redirect_uri: 'https://evil.example/cb' }, 'invalid_request'],
      [{ ...params, code_challenge: '' }, 'invalid_request'],
      [{ ...params, code_challenge_method: 'plain' }, 'invalid_request'],
      [{ ...params, scope: 'admin' }, 'invalid_scope'],
      [{ ...params, response_type: 'token' }, 'unsupported_response_type'],
    ];
    for (const [body, error] of cases) {
      const res = await par(confidential, body);
      expect([res.status, res.body.error, res.headers.location]).toEqual([400, error, undefined]);
    }
  });

  it('R-PAR-6: wrong client credentials are 401 invalid_client; GET is 405', async () => {
    const res = await par({ ...confidential, secret: 'wrong-secret' }, pushParams().params);
    expect([res.status, res.body.error]).toEqual([401, 'invalid_client']);
    const get = await request(app.publicServer).get('/par');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });

  it('R-PAR-7: a request_uri presented with another client_id, with extra parameters, or never issued, is refused', async () => {
    const pushed = await par(confidential, pushParams().params);
    const uri = pushed.body.request_uri as string;
    for (const url of [
      authorizeUrl(publicClient.clientId, uri),
      authorizeUrl(confidential.clientId, uri, { scope: 'openid read write' }),
      authorizeUrl(
        confidential.clientId,
        'urn:ietf:params:oauth:request_uri:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ),
    ]) {
      const res = await request(app.publicServer).get(url);
      expect(res.status).toBe(400);
      expect(res.headers.location).toBeUndefined();
    }
    // Still usable by its own client afterwards: the refused attempts did not consume it.
    const ok = await authorizeThroughPages(ua(), authorizeUrl(confidential.clientId, uri), owner);
    expect(new URL(ok.location as string).searchParams.get('code')).toBeTruthy();
  });

  it('R-PAR-8: a request_uri yields one code; presenting it again is refused', async () => {
    const pushed = await par(confidential, pushParams().params);
    const url = authorizeUrl(confidential.clientId, pushed.body.request_uri as string);
    const first = await authorizeThroughPages(ua(), url, owner);
    expect(new URL(first.location as string).searchParams.get('code')).toBeTruthy();
    const again = await authorizeThroughPages(ua(), url, owner);
    expect(again.status).toBe(400);
    expect(again.location).toBeUndefined();
  });

  it('R-PAR-8: two browsers opening one request_uri at once: only one gets a code', async () => {
    const pushed = await par(confidential, pushParams().params);
    const url = authorizeUrl(confidential.clientId, pushed.body.request_uri as string);
    const results = await Promise.all([
      authorizeThroughPages(ua(), url, owner),
      authorizeThroughPages(ua(), url, owner),
    ]);
    const codes = results.filter((r) => r.location && new URL(r.location).searchParams.get('code'));
    expect(codes).toHaveLength(1);
  });

  it('R-PAR-10: a client registered with require_pushed_authorization_requests cannot skip /par', async () => {
    const strict = await codeClient(app, { requirePushedAuthorizationRequests: true });
    const plain = codeRequest(strict.clientId);
    const res = await request(app.publicServer).get(plain.url);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe(plain.state);
    const pushed = await par(strict, pushParams().params);
    expect(pushed.status).toBe(201);
    const ok = await authorizeThroughPages(
      ua(),
      authorizeUrl(strict.clientId, pushed.body.request_uri as string),
      owner,
    );
    expect(new URL(ok.location as string).searchParams.get('code')).toBeTruthy();
  });
});

describe('PAR required globally (REQUIRE_PUSHED_AUTHORIZATION_REQUESTS=true)', () => {
  let app: TestApp;
  beforeAll(async () => {
    ({ app } = await createListeningTestApp({ REQUIRE_PUSHED_AUTHORIZATION_REQUESTS: 'true' }));
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-PAR-1/R-PAR-10: metadata says so, and a plain authorization request is refused', async () => {
    const meta = await request(app.publicServer).get('/.well-known/oauth-authorization-server');
    expect(meta.body.require_pushed_authorization_requests).toBe(true);
    const c = await codeClient(app);
    const plain = codeRequest(c.clientId);
    const res = await request(app.publicServer).get(plain.url);
    expect(new URL(res.headers.location as string).searchParams.get('error')).toBe('invalid_request');
  });
});
