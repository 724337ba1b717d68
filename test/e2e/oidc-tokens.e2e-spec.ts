import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import request from 'supertest';
import { adminRequest } from '../support/admin-request.js';
import {
  authorizeThroughPages,
  callbackParams,
  codeRequest,
  createCodeClient,
  createOwner,
  exchangeCode,
  obtainCode,
  REDIRECT_URI,
  type TestOwner,
} from '../support/authorize-flow.js';
import type { TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { createListeningTestApp } from '../support/listening-app.js';
import { UserAgent } from '../support/user-agent.js';

interface TokenBody {
  access_token: string;
  id_token: string;
  refresh_token?: string;
}

/**
 * ID tokens checked by oauth4webapi (an independent OpenID client) and by jose against /jwks;
 * RS256 and ES256 per client registration; key rotation; UserInfo errors and signed answers.
 */
describe('OpenID Connect ID tokens and UserInfo', () => {
  let app: TestApp;
  let issuer: string;
  let owner: TestOwner;
  let es256: TestClient;
  let rs256: TestClient;
  let as: oauth.AuthorizationServer;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  const options = { [oauth.allowInsecureRequests]: true };

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp({ KEY_PUBLISH_LEAD_TIME: '2' }));
    owner = await createOwner(app);
    es256 = await createCodeClient(app, { firstParty: true, scope: 'openid profile email read' });
    rs256 = await createCodeClient(app, {
      firstParty: true,
      metadata: { id_token_signed_response_alg: 'RS256', userinfo_signed_response_alg: 'RS256' },
    });
    const url = new URL(issuer);
    as = await oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, options));
    jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`), { cacheMaxAge: 0, cooldownDuration: 0 });
  });
  afterAll(async () => {
    await app.close();
  });

  async function idTokenFor(client: TestClient, extra: Record<string, string> = {}): Promise<TokenBody> {
    const { code, verifier } = await obtainCode(app, client, owner, extra);
    const res = await exchangeCode(app, client, {
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    });
    expect(res.status).toBe(200);
    return res.body as TokenBody;
  }

  it('R-OIDC-2, R-OIDC-4: oauth4webapi validates the authorization response and the ID token (expectedNonce, maxAge)', async () => {
    const nonce = oauth.generateRandomNonce();
    const ua = new UserAgent(app.publicServer);
    const req = codeRequest(es256.clientId, { nonce, max_age: '300', scope: 'openid profile email' });
    const callback = new URL((await authorizeThroughPages(ua, req.url, owner)).location as string);
    const rp: oauth.Client = { client_id: es256.clientId };
    const auth = oauth.ClientSecretBasic(es256.secret);
    const params = oauth.validateAuthResponse(as, rp, callback, req.state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      rp,
      auth,
      params,
      REDIRECT_URI,
      req.pkce.verifier,
      options,
    );
    const result = await oauth.processAuthorizationCodeResponse(as, rp, response, {
      expectedNonce: nonce,
      maxAge: 300,
      requireIdToken: true,
    });
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    expect(claims.nonce).toBe(nonce);
    expect(claims.sub).toBe(owner.id);

    // R-OIDC-8: UserInfo's sub is the ID token's sub (oauth4webapi checks it).
    const userinfo = await oauth.processUserInfoResponse(
      as,
      rp,
      claims.sub,
      await oauth.userInfoRequest(as, rp, result.access_token, options),
    );
    expect(userinfo.sub).toBe(owner.id);
    expect(userinfo.preferred_username).toBe(owner.username);
    await expect(
      oauth.processUserInfoResponse(
        as,
        rp,
        'someone-else',
        await oauth.userInfoRequest(as, rp, result.access_token, options),
      ),
    ).rejects.toThrow();
  });

  it('R-OIDC-3: ES256 by default, RS256 when registered; both verify against /jwks with typ JWT', async () => {
    for (const [client, alg] of [
      [es256, 'ES256'],
      [rs256, 'RS256'],
    ] as const) {
      const body = await idTokenFor(client);
      const header = decodeProtectedHeader(body.id_token);
      expect(header).toMatchObject({ alg, typ: 'JWT' });
      const { payload } = await jwtVerify(body.id_token, jwks, {
        issuer,
        audience: client.clientId,
        algorithms: [alg],
      });
      expect(payload.sub).toBe(owner.id);
      // Access tokens keep the primary key (ES256).
      expect(decodeProtectedHeader(body.access_token).alg).toBe('ES256');
    }
  });

  it('R-OIDC-3: ID tokens signed before a key rotation still verify after it; new ones use the new keys', async () => {
    const before = [await idTokenFor(es256), await idTokenFor(rs256)];
    const rotated = await adminRequest(app).post('/admin/keys/rotate').expect(201);
    const activatesAt = Date.parse((rotated.body as { activates_at: string }).activates_at);
    await new Promise((r) => setTimeout(r, Math.max(0, activatesAt - Date.now()) + 100));
    const after = [await idTokenFor(es256), await idTokenFor(rs256)];
    for (let i = 0; i < 2; i++) {
      expect(decodeProtectedHeader(after[i]!.id_token).kid).not.toBe(
        decodeProtectedHeader(before[i]!.id_token).kid,
      );
    }
    for (const body of [...before, ...after]) {
      await expect(jwtVerify(body.id_token, jwks, { issuer })).resolves.toBeDefined();
    }
  }, 30_000);

  it('R-OIDC-1: no ID token without the openid scope', async () => {
    const body = await idTokenFor(es256, { scope: 'read' });
    expect(body.access_token).toBeDefined();
    expect(body.id_token).toBeUndefined();
  });

  it('R-OIDC-7/R-MCP-12: UserInfo errors per RFC 6750 (a token for another audience refused) with WWW-Authenticate; CORS on every answer', async () => {
    const none = await request(app.publicServer).get('/userinfo').expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="tessera"');
    expect(none.headers['access-control-allow-origin']).toBe('*');
    const bad = await request(app.publicServer)
      .get('/userinfo')
      .set('Authorization', 'Bearer abc.def.ghi')
      .expect(401);
    expect(bad.headers['www-authenticate']).toContain('error="invalid_token"');
    const noOpenid = await idTokenFor(es256, { scope: 'read' });
    const forbidden = await request(app.publicServer)
      .get('/userinfo')
      .set('Authorization', `Bearer ${noOpenid.access_token}`)
      .expect(403);
    expect(forbidden.headers['www-authenticate']).toContain('error="insufficient_scope"');
    const otherAudience = await idTokenFor(es256, { resource: 'https://api.example.com' });
    await request(app.publicServer)
      .get('/userinfo')
      .set('Authorization', `Bearer ${otherAudience.access_token}`)
      .expect(401);
    const preflight = await request(app.publicServer)
      .options('/userinfo')
      .set('Origin', 'https://spa.example')
      .set('Access-Control-Request-Method', 'GET')
      .expect(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');
  });

  it('R-OIDC-7: POST with the token in the header or the form body; email claims only with the email scope', async () => {
    const profileOnly = await idTokenFor(es256, { scope: 'openid profile' });
    const viaHeader = await request(app.publicServer)
      .post('/userinfo')
      .set('Authorization', `Bearer ${profileOnly.access_token}`)
      .expect(200);
    expect(viaHeader.body).toMatchObject({ sub: owner.id, preferred_username: owner.username });
    expect(viaHeader.body).not.toHaveProperty('email');
    const viaBody = await request(app.publicServer)
      .post('/userinfo')
      .type('form')
      .send({ access_token: profileOnly.access_token })
      .expect(200);
    expect(viaBody.body).toEqual(viaHeader.body);
    const openidOnly = await idTokenFor(es256, { scope: 'openid' });
    const bare = await request(app.publicServer)
      .get('/userinfo')
      .set('Authorization', `Bearer ${openidOnly.access_token}`)
      .expect(200);
    expect(bare.body).toEqual({ sub: owner.id });
  });

  it('R-OIDC-7: a client registered with userinfo_signed_response_alg gets a signed JWT', async () => {
    const body = await idTokenFor(rs256, { scope: 'openid profile' });
    const res = await request(app.publicServer)
      .get('/userinfo')
      .set('Authorization', `Bearer ${body.access_token}`)
      .buffer(true)
      .parse((r, cb) => {
        let data = '';
        r.on('data', (c: Buffer) => (data += c.toString()));
        r.on('end', () => cb(null, data));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/jwt/);
    const { payload, protectedHeader } = await jwtVerify(res.body as string, jwks, {
      issuer,
      audience: rs256.clientId,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub: owner.id, preferred_username: owner.username });
  });

  it('R-OIDC-12: hybrid and implicit response types are refused', async () => {
    for (const responseType of ['id_token', 'code id_token', 'token id_token']) {
      const ua = new UserAgent(app.publicServer);
      const req = codeRequest(es256.clientId, { response_type: responseType });
      const params = callbackParams(await ua.get(req.url));
      expect(params.get('error')).toBe('unsupported_response_type');
    }
  });
});
