import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { assertionKey } from '../support/client-assertions.js';
import { createClient, type TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { createListeningTestApp } from '../support/listening-app.js';
import { issueFamily } from '../support/refresh-tokens.js';

/**
 * Interoperability: the running server driven over real HTTP by oauth4webapi, an independent
 * OAuth client library, and its JWTs checked with jose against /jwks as a resource server does.
 */
describe('interoperability with oauth4webapi', () => {
  let app: TestApp;
  let as: oauth.AuthorizationServer;
  let confidential: TestClient;
  let resourceServer: TestClient;
  const options = { [oauth.allowInsecureRequests]: true };
  const API = 'https://api.example.com';

  beforeAll(async () => {
    const started = await createListeningTestApp();
    app = started.app;
    // RFC 8414 discovery, as a real client starts.
    const issuer = new URL(started.issuer);
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...options }),
    );
    expect(as.token_endpoint).toBe(`${started.issuer}/token`);
    confidential = await createClient(app);
    resourceServer = await createClient(app, {
      canIntrospect: true,
      grantTypes: [],
      tokenEndpointAuthMethod: 'client_secret_post',
      allowedResources: [API],
    });
  });
  afterAll(async () => {
    await app.close();
  });

  const clientOf = (c: TestClient): oauth.Client => ({ client_id: c.clientId });

  async function verifyAsResourceServer(token: string, audience: string) {
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri as string));
    return jwtVerify(token, jwks, {
      issuer: as.issuer,
      audience,
      typ: 'at+jwt',
      algorithms: ['ES256', 'EdDSA', 'RS256'],
    });
  }

  it('R-TOK-8/R-AT-2: client_credentials with client_secret_basic; the JWT verifies against /jwks', async () => {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      clientOf(confidential),
      oauth.ClientSecretBasic(confidential.secret),
      { scope: 'read', resource: API },
      options,
    );
    const result = await oauth.processClientCredentialsResponse(as, clientOf(confidential), response);
    expect(result.token_type).toBe('bearer');
    expect(result.scope).toBe('read');
    const { payload, protectedHeader } = await verifyAsResourceServer(result.access_token, API);
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({
      sub: confidential.clientId,
      client_id: confidential.clientId,
      scope: 'read',
      aud: API,
    });
  });

  it('R-CAUTH-8: client_credentials with private_key_jwt as oauth4webapi builds it', async () => {
    const key = await assertionKey('ES256');
    const jwtClient = await createClient(app, {
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [key.publicJwk] },
    });
    const auth = oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid });
    for (let i = 0; i < 2; i++) {
      const response = await oauth.clientCredentialsGrantRequest(as, clientOf(jwtClient), auth, {}, options);
      const result = await oauth.processClientCredentialsResponse(as, clientOf(jwtClient), response);
      expect(result.scope).toBe('read write');
      await verifyAsResourceServer(result.access_token, as.issuer);
    }
  });

  it('R-RT-7: refresh with rotation; the old refresh token then fails as oauth4webapi reports it', async () => {
    const { token } = await issueFamily(app, confidential.client, { ownerId: 'owner-42' });
    const auth = oauth.ClientSecretBasic(confidential.secret);
    const response = await oauth.refreshTokenGrantRequest(as, clientOf(confidential), auth, token, options);
    const result = await oauth.processRefreshTokenResponse(as, clientOf(confidential), response);
    expect(result.refresh_token).toEqual(expect.any(String));
    const { payload } = await verifyAsResourceServer(result.access_token, API);
    expect(payload.sub).toBe('owner-42');

    const replay = await oauth.refreshTokenGrantRequest(as, clientOf(confidential), auth, token, options);
    await expect(oauth.processRefreshTokenResponse(as, clientOf(confidential), replay)).rejects.toMatchObject(
      {
        error: 'invalid_grant',
        status: 400,
      },
    );
  });

  it('R-RT-6: a public client refreshes with client_id only (None)', async () => {
    const pub = await createClient(app, { tokenEndpointAuthMethod: 'none', grantTypes: ['refresh_token'] });
    const { token } = await issueFamily(app, pub.client);
    const response = await oauth.refreshTokenGrantRequest(as, clientOf(pub), oauth.None(), token, options);
    const result = await oauth.processRefreshTokenResponse(as, clientOf(pub), response);
    expect(result.refresh_token).not.toBe(token);
  });

  it('R-INT-5/R-REV-1: introspection and revocation round trip', async () => {
    const cc = await oauth.processClientCredentialsResponse(
      as,
      clientOf(confidential),
      await oauth.clientCredentialsGrantRequest(
        as,
        clientOf(confidential),
        oauth.ClientSecretBasic(confidential.secret),
        { resource: API },
        options,
      ),
    );
    const rsAuth = oauth.ClientSecretPost(resourceServer.secret);
    const introspect = async () =>
      oauth.processIntrospectionResponse(
        as,
        clientOf(resourceServer),
        await oauth.introspectionRequest(as, clientOf(resourceServer), rsAuth, cc.access_token, options),
      );
    const before = await introspect();
    expect(before).toMatchObject({
      active: true,
      client_id: confidential.clientId,
      aud: API,
      token_type: 'Bearer',
    });

    const revoked = await oauth.revocationRequest(
      as,
      clientOf(confidential),
      oauth.ClientSecretBasic(confidential.secret),
      cc.access_token,
      options,
    );
    await expect(oauth.processRevocationResponse(revoked)).resolves.toBeUndefined();
    expect(await introspect()).toEqual({ active: false });
  });

  it('R-INT-3: oauth4webapi sees invalid_client with a WWW-Authenticate challenge', async () => {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      clientOf(confidential),
      oauth.ClientSecretBasic('wrong'),
      {},
      options,
    );
    const error = await oauth.processClientCredentialsResponse(as, clientOf(confidential), response).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    const challenge = error as oauth.WWWAuthenticateChallengeError;
    expect(challenge.status).toBe(401);
    expect(challenge.cause[0]?.scheme).toBe('basic');
    expect(await challenge.response.json()).toMatchObject({ error: 'invalid_client' });
  });
});
