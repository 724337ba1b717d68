import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { SignJWT } from 'jose';
import request from 'supertest';
import {
  authorizeThroughPages,
  createOwner,
  pkce,
  REDIRECT_URI,
  type TestOwner,
} from '../support/authorize-flow.js';
import { assertionKey, type AssertionKey } from '../support/client-assertions.js';
import { createClient, type TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { createListeningTestApp } from '../support/listening-app.js';
import { UserAgent } from '../support/user-agent.js';

/** RFC 9101 signed request objects at /authorize and /par. */
describe('signed request objects (RFC 9101)', () => {
  let app: TestApp;
  let issuer: string;
  let owner: TestOwner;
  let key: AssertionKey;
  let jwtClient: TestClient;
  let as: oauth.AuthorizationServer;
  const options = { [oauth.allowInsecureRequests]: true };

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp());
    owner = await createOwner(app);
    key = await assertionKey('ES256');
    jwtClient = await createClient(app, {
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [key.publicJwk] },
      redirectUris: [REDIRECT_URI],
      grantTypes: ['authorization_code'],
      responseTypes: ['code'],
      scope: 'openid read',
      firstParty: true,
    });
    as = await oauth.processDiscoveryResponse(
      new URL(issuer),
      await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oauth2', ...options }),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  const c = (): oauth.Client => ({ client_id: jwtClient.clientId });
  const ua = () => new UserAgent(app.publicServer, { origin: issuer });
  const authorizeParams = (state: string, challenge: string) => ({
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid read',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const authorizeWith = (jwt: string) =>
    `/authorize?${new URLSearchParams({ client_id: jwtClient.clientId, request: jwt }).toString()}`;
  /** A hand-signed request object; `claims` override the defaults. */
  const sign = (claims: Record<string, unknown>, alg = 'ES256', signingKey = key.privateKey) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: jwtClient.clientId,
      aud: issuer,
      client_id: jwtClient.clientId,
      jti: randomUUID(),
      iat: now,
      exp: now + 300,
      ...authorizeParams('s', pkce().challenge),
      ...claims,
    })
      .setProtectedHeader({ alg, typ: 'oauth-authz-req+jwt', kid: key.kid })
      .sign(signingKey);
  };
  const expectPage = async (url: string, error = 'invalid_request_object') => {
    const res = await request(app.publicServer).get(url);
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain(error);
  };

  it('R-META: metadata advertises request objects by value, asymmetric algs only, and no request_uri by reference', () => {
    expect(as.request_parameter_supported).toBe(true);
    expect(as.request_object_signing_alg_values_supported).toEqual(
      expect.arrayContaining(['ES256', 'EdDSA']),
    );
    expect(as.request_object_signing_alg_values_supported).not.toEqual(
      expect.arrayContaining(['none', 'HS256']),
    );
    expect(as.request_uri_parameter_supported).toBe(false);
  });

  it('RFC 9101: oauth4webapi issueRequestObject at /authorize: the object parameters are used, a code is issued', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const jwt = await oauth.issueRequestObject(
      as,
      c(),
      authorizeParams(state, await oauth.calculatePKCECodeChallenge(verifier)),
      key.privateKey,
    );
    const res = await authorizeThroughPages(ua(), authorizeWith(jwt), owner);
    const params = oauth.validateAuthResponse(as, c(), new URL(res.location as string), state);
    expect(params.get('code')).toBeTruthy();
  });

  it('RFC 9101/R-PAR-2: oauth4webapi pushes a signed request object to /par', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const jwt = await oauth.issueRequestObject(
      as,
      c(),
      authorizeParams(state, await oauth.calculatePKCECodeChallenge(verifier)),
      key.privateKey,
    );
    const pushed = await oauth.pushedAuthorizationRequest(
      as,
      c(),
      oauth.PrivateKeyJwt(key.privateKey),
      { request: jwt },
      options,
    );
    const { request_uri: requestUri } = await oauth.processPushedAuthorizationResponse(as, c(), pushed);
    const res = await authorizeThroughPages(
      ua(),
      `/authorize?${new URLSearchParams({ client_id: jwtClient.clientId, request_uri: requestUri }).toString()}`,
      owner,
    );
    expect(
      oauth.validateAuthResponse(as, c(), new URL(res.location as string), state).get('code'),
    ).toBeTruthy();
  });

  it('RFC 9101: an expired request object is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectPage(authorizeWith(await sign({ iat: now - 900, exp: now - 600 })));
  });

  it('RFC 9101/#16 item 11: an unsigned (alg none) request object is refused, never processed', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const none = `${b64({ alg: 'none' })}.${b64({ iss: jwtClient.clientId, aud: issuer, jti: 'n1', exp: now + 60, ...authorizeParams('s', pkce().challenge) })}.`;
    await expectPage(authorizeWith(none));
  });

  it('RFC 9101: a replayed request object (same jti) is refused', async () => {
    const jwt = await sign({});
    const first = await request(app.publicServer).get(authorizeWith(jwt));
    expect(first.status).toBeLessThan(400);
    await expectPage(authorizeWith(jwt));
  });

  it('RFC 9101: wrong aud, another signing key, or a MAC are refused', async () => {
    await expectPage(authorizeWith(await sign({ aud: 'https://other.example' })));
    const other = await assertionKey('ES256');
    await expectPage(authorizeWith(await sign({}, 'ES256', other.privateKey)));
    const mac = new Uint8Array(32).fill(7);
    await expectPage(authorizeWith(await sign({}, 'HS256', mac as unknown as AssertionKey['privateKey'])));
  });

  it('RFC 9101 §5.2/#16 item 11: a request_uri the server did not issue is request_uri_not_supported', async () => {
    const state = 'st-uri';
    const url = `/authorize?${new URLSearchParams({
      client_id: jwtClient.clientId,
      ...authorizeParams(state, pkce().challenge),
      request_uri: 'https://client.example/request.jwt',
    }).toString()}`;
    const res = await request(app.publicServer).get(url);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(location.searchParams.get('error')).toBe('request_uri_not_supported');
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('code')).toBeNull();
  });
});
