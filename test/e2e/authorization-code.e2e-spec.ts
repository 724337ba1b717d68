import * as oauth from 'oauth4webapi';
import request from 'supertest';
import { hashSecret } from '../../src/common/crypto/secret-hash.js';
import { AccessTokenService } from '../../src/tokens/access-tokens/access-token.service.js';
import {
  authorizeThroughPages,
  callbackParams,
  codeRequest,
  createCodeClient,
  createOwner,
  exchangeCode,
  ISSUER,
  obtainCode,
  pkce,
  REDIRECT_URI,
  type TestOwner,
} from '../support/authorize-flow.js';
import { basicAuth, form, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { UserAgent } from '../support/user-agent.js';

function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

describe('authorization_code grant (POST /token)', () => {
  let app: TestApp;
  let client: TestClient;
  let owner: TestOwner;

  beforeAll(async () => {
    app = await createTestApp();
    owner = await createOwner(app);
  });
  beforeEach(async () => {
    client = await createCodeClient(app, { firstParty: true, allowedResources: ['https://api.example.com'] });
  });
  afterAll(async () => {
    await app.close();
  });

  const accessTokens = () => app.publicApp.get(AccessTokenService, { strict: false });
  const refresh = (c: TestClient, token: string) =>
    request(app.publicServer)
      .post('/token')
      .set('Authorization', basicAuth(c.clientId, c.secret))
      .type('form')
      .send(form({ grant_type: 'refresh_token', refresh_token: token }));

  it('R-CODE-2: a code yields tokens bound to the owner, scope and resource', async () => {
    const { code, verifier } = await obtainCode(app, client, owner, {
      scope: 'openid read',
      resource: 'https://api.example.com',
    });
    const res = await exchangeCode(app, client, {
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'openid read' });
    expect(res.body.expires_in).toBeGreaterThan(0);
    expect(res.body.refresh_token).toBeTruthy();
    const claims = jwtPayload(res.body.access_token as string);
    expect(claims).toMatchObject({
      sub: owner.id,
      aud: 'https://api.example.com',
      scope: 'openid read',
      client_id: client.clientId,
    });
    expect(await accessTokens().inspect(res.body.access_token as string)).not.toBeNull();
  });

  it('R-SEC-7/R-CODE-1: codes carry 256 bits and are stored hashed with AUTHORIZATION_CODE_TTL', async () => {
    const { code } = await obtainCode(app, client, owner);
    expect(Buffer.from(code, 'base64url')).toHaveLength(32);
    expect(await app.shared.store.get(`code:${code}`)).toBeNull();
    const ttl = await app.shared.store.ttl(`code:${hashSecret(code)}`);
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('R-CODE-1/R-CODE-8: an expired code is invalid_grant', async () => {
    const { code, verifier } = await obtainCode(app, client, owner);
    await app.shared.store.delete(`code:${hashSecret(code)}`); // what the TTL does
    const res = await exchangeCode(app, client, { code, code_verifier: verifier }).expect(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('R-CODE-8: unknown and malformed codes are invalid_grant, never 5xx', async () => {
    const { verifier } = pkce();
    for (const code of ['x'.repeat(43), 'short', '%00', 'é'.repeat(50)]) {
      const res = await exchangeCode(app, client, { code, code_verifier: verifier });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    }
  });

  it('R-CODE-4/R-CODE-5: a replayed code is invalid_grant and revokes the first tokens', async () => {
    const { code, verifier } = await obtainCode(app, client, owner);
    const first = await exchangeCode(app, client, { code, code_verifier: verifier }).expect(200);
    const replay = await exchangeCode(app, client, { code, code_verifier: verifier }).expect(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect(await accessTokens().inspect(first.body.access_token as string)).toBeNull();
    const r = await refresh(client, first.body.refresh_token as string);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_grant');
  });

  it('R-CODE-6: a replay with a wrong verifier or wrong client authentication revokes nothing', async () => {
    const { code, verifier } = await obtainCode(app, client, owner);
    const first = await exchangeCode(app, client, { code, code_verifier: verifier }).expect(200);
    const wrongVerifier = await exchangeCode(app, client, { code, code_verifier: pkce().verifier }).expect(
      400,
    );
    expect(wrongVerifier.body.error).toBe('invalid_grant');
    const wrongAuth = await exchangeCode(
      app,
      { ...client, secret: 'not-the-secret' },
      { code, code_verifier: verifier },
    );
    expect(wrongAuth.status).toBe(401);
    const other = await createCodeClient(app);
    const otherClient = await exchangeCode(app, other, { code, code_verifier: verifier }).expect(400);
    expect(otherClient.body.error).toBe('invalid_grant');
    expect(await accessTokens().inspect(first.body.access_token as string)).not.toBeNull();
    expect((await refresh(client, first.body.refresh_token as string)).status).toBe(200);
  });

  it('R-CODE-4: of 10 parallel redemptions of one code exactly one succeeds', async () => {
    const { code, verifier } = await obtainCode(app, client, owner);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => exchangeCode(app, client, { code, code_verifier: verifier })),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid_grant');
    }
    // The losers were valid replays: whatever the winner issued is revoked (R-CODE-5).
    expect(await accessTokens().inspect(ok[0]?.body.access_token as string)).toBeNull();
  });

  it('R-PKCE-8: a wrong code_verifier is invalid_grant', async () => {
    const { code } = await obtainCode(app, client, owner);
    const res = await exchangeCode(app, client, { code, code_verifier: pkce().verifier }).expect(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('R-PKCE-7/R-PKCE-5: a missing or malformed code_verifier is invalid_request', async () => {
    const { code, verifier } = await obtainCode(app, client, owner);
    expect((await exchangeCode(app, client, { code }).expect(400)).body.error).toBe('invalid_request');
    for (const bad of ['a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}+`]) {
      expect((await exchangeCode(app, client, { code, code_verifier: bad }).expect(400)).body.error).toBe(
        'invalid_request',
      );
    }
    // Not consumed by the malformed attempts.
    await exchangeCode(app, client, { code, code_verifier: verifier }).expect(200);
  });

  it('R-CODE-3: a code of client A presented by client B is invalid_grant', async () => {
    const { code, verifier } = await obtainCode(app, client, owner);
    const other = await createCodeClient(app);
    const res = await exchangeCode(app, other, { code, code_verifier: verifier }).expect(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('R-CODE-7: a redirect_uri differing from the authorization request is invalid_grant', async () => {
    const { code, verifier } = await obtainCode(app, client, owner);
    const res = await exchangeCode(app, client, {
      code,
      code_verifier: verifier,
      redirect_uri: 'https://client.example/other',
    }).expect(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('a public client redeems with its client_id and no secret', async () => {
    const pub = await createCodeClient(app, { tokenEndpointAuthMethod: 'none', firstParty: true });
    const { code, verifier } = await obtainCode(app, pub, owner);
    const res = await exchangeCode(app, pub, { code, code_verifier: verifier }).expect(200);
    expect(res.body.access_token).toBeTruthy();
  });

  it('no refresh token for a client without the refresh_token grant', async () => {
    const noRefresh = await createCodeClient(app, { grantTypes: ['authorization_code'], firstParty: true });
    const { code, verifier } = await obtainCode(app, noRefresh, owner);
    const res = await exchangeCode(app, noRefresh, { code, code_verifier: verifier }).expect(200);
    expect(res.body.refresh_token).toBeUndefined();
  });

  it('RFC 8707: a resource outside the authorization is invalid_target', async () => {
    const { code, verifier } = await obtainCode(app, client, owner);
    const res = await exchangeCode(app, client, {
      code,
      code_verifier: verifier,
      resource: 'https://other.example.com',
    }).expect(400);
    expect(res.body.error).toBe('invalid_target');
  });

  it('R-AUTHZ-10: the success redirect carries code, state and iss', async () => {
    const ua = new UserAgent(app.publicServer);
    const req = codeRequest(client.clientId);
    const params = callbackParams(await authorizeThroughPages(ua, req.url, owner));
    expect(params.get('state')).toBe(req.state);
    expect(params.get('iss')).toBe(ISSUER);
  });

  it('the docs walk-through: client and owner created with the admin API, code exchanged with Basic auth', async () => {
    const admin = (path: string, body: unknown) =>
      request(app.adminServer)
        .post(path)
        .set('Authorization', `Bearer ${app.adminToken}`)
        .send(body as object);
    const created = await admin('/admin/clients', {
      client_name: 'Demo app',
      redirect_uris: ['http://127.0.0.1:8080/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'openid profile',
    }).expect(201);
    const clientId = created.body.client_id as string;
    const secret = created.body.client_secret as string;
    await admin('/admin/owners', { username: 'alice-docs', password: 'correct horse battery staple' }).expect(
      201,
    );
    const alice = { id: '', username: 'alice-docs', password: 'correct horse battery staple' };
    const ua = new UserAgent(app.publicServer);
    const req = codeRequest(clientId, {
      redirect_uri: 'http://127.0.0.1:8080/callback',
      scope: 'openid profile',
    });
    const landing = await authorizeThroughPages(ua, req.url, alice);
    expect(landing.location?.startsWith('http://127.0.0.1:8080/callback?')).toBe(true);
    const code = callbackParams(landing).get('code') as string;
    const res = await request(app.publicServer)
      .post('/token')
      .set('Authorization', basicAuth(clientId, secret))
      .type('form')
      .send(
        form({
          grant_type: 'authorization_code',
          code,
          code_verifier: req.pkce.verifier,
          redirect_uri: 'http://127.0.0.1:8080/callback',
        }),
      )
      .expect(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'openid profile' });
    expect(res.body.refresh_token).toBeTruthy();
  });

  describe('full flow with an independent client library (oauth4webapi)', () => {
    let baseUrl: string;
    beforeAll(async () => {
      await app.publicApp.listen(0, '127.0.0.1');
      baseUrl = (await app.publicApp.getUrl()).replace('[::1]', '127.0.0.1');
    });

    it.each(['confidential', 'public'])(
      'R-AUTHZ-10/R-PKCE-1: a %s client completes the flow',
      async (kind) => {
        const c = await createCodeClient(app, kind === 'public' ? { tokenEndpointAuthMethod: 'none' } : {});
        const as: oauth.AuthorizationServer = {
          issuer: ISSUER,
          authorization_endpoint: `${baseUrl}/authorize`,
          token_endpoint: `${baseUrl}/token`,
          authorization_response_iss_parameter_supported: true,
          code_challenge_methods_supported: ['S256'],
          // As discovery says (scope openid brings an ES256 ID token; oauth4webapi assumes RS256 otherwise).
          id_token_signing_alg_values_supported: ['ES256', 'RS256'],
        };
        const oclient: oauth.Client = { client_id: c.clientId };
        const auth = kind === 'public' ? oauth.None() : oauth.ClientSecretBasic(c.secret);
        const verifier = oauth.generateRandomCodeVerifier();
        const state = oauth.generateRandomState();
        const url = new URL(as.authorization_endpoint as string);
        url.searchParams.set('client_id', c.clientId);
        url.searchParams.set('redirect_uri', REDIRECT_URI);
        url.searchParams.set('response_type', 'code');
        url.searchParams.set('scope', 'openid read');
        url.searchParams.set('state', state);
        url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
        url.searchParams.set('code_challenge_method', 'S256');

        const ua = new UserAgent(app.publicServer);
        const landing = await authorizeThroughPages(ua, `${url.pathname}${url.search}`, owner);
        const params = oauth.validateAuthResponse(as, oclient, new URL(landing.location as string), state);
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          oclient,
          auth,
          params,
          REDIRECT_URI,
          verifier,
          {
            [oauth.allowInsecureRequests]: true,
          },
        );
        const tokens = await oauth.processAuthorizationCodeResponse(as, oclient, response);
        expect(tokens.token_type).toBe('bearer');
        expect(tokens.access_token).toBeTruthy();
        expect(tokens.refresh_token).toBeTruthy();
        expect(tokens.scope).toBe('openid read');
      },
    );
  });
});
