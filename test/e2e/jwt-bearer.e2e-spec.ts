import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { adminRequest } from '../support/admin-request.js';
import { createOwner, type TestOwner } from '../support/authorize-flow.js';
import { createClient, type TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { FakeIssuer } from '../support/fake-issuer.js';
import { createListeningTestApp } from '../support/listening-app.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const API = 'https://api.example.com';

/** RFC 7523 §2.1 JWT bearer grant, driven by oauth4webapi (unmodified), assertions from a test issuer. */
describe('JWT bearer grant (RFC 7523 §2.1)', () => {
  let app: TestApp;
  let issuer: string;
  let as: oauth.AuthorizationServer;
  let idp: FakeIssuer;
  let stranger: FakeIssuer;
  let remote: FakeIssuer;
  let agent: TestClient;
  let notAllowed: TestClient;
  let owner: TestOwner;
  const options = { [oauth.allowInsecureRequests]: true };

  const assertion = (claims: Record<string, unknown> = {}, from: FakeIssuer = idp) => {
    const now = Math.floor(Date.now() / 1000);
    return from.sign(
      {
        aud: issuer,
        sub: 'ignored',
        email: owner.username,
        jti: randomUUID(),
        iat: now,
        exp: now + 120,
        scope: undefined,
        client_id: undefined,
        ...claims,
      },
      { typ: 'JWT' },
    );
  };
  const grant = async (client: TestClient, jwt: string, extra: Record<string, string> = {}) => {
    const response = await oauth.genericTokenEndpointRequest(
      as,
      { client_id: client.clientId },
      oauth.ClientSecretBasic(client.secret),
      GRANT,
      new URLSearchParams({ assertion: jwt, ...extra }),
      options,
    );
    return oauth.processGenericTokenEndpointResponse(as, { client_id: client.clientId }, response);
  };
  const refused = async (client: TestClient, jwt: string) => {
    try {
      await grant(client, jwt);
    } catch (err) {
      if (err instanceof oauth.ResponseBodyError) {
        return err.error;
      }
      throw err;
    }
    throw new Error('the assertion was accepted');
  };

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' }));
    as = await oauth.processDiscoveryResponse(
      new URL(issuer),
      await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oauth2', ...options }),
    );
    idp = await FakeIssuer.start();
    stranger = await FakeIssuer.start();
    remote = await FakeIssuer.start();
    owner = await createOwner(app);
    agent = await createClient(app, { grantTypes: [GRANT], scope: 'read write', allowedResources: [API] });
    notAllowed = await createClient(app, { grantTypes: [GRANT], scope: 'read' });
    await adminRequest(app)
      .post('/admin/trusted-issuers', {
        issuer: idp.issuer,
        jwks: { keys: [idp.publicJwk] },
        subject_claim: 'email',
      })
      .expect(201);
    await adminRequest(app)
      .post('/admin/trusted-issuers', {
        issuer: remote.issuer,
        jwks_uri: `${remote.issuer}/jwks`,
        subject_claim: 'email',
      })
      .expect(201);
    await adminRequest(app)
      .put(`/admin/clients/${agent.clientId}/token-exchange-policy`, {
        subject_token_types: [],
        issuers: [idp.issuer, remote.issuer],
        audiences: [],
        delegation: false,
        impersonation: false,
        jwt_bearer: true,
      })
      .expect(200);
  });
  afterAll(async () => {
    await idp.close();
    await stranger.close();
    await remote.close();
    await app.close();
  });

  it('R-TX-6: an assertion from a trusted issuer, aud = issuer or token endpoint, gives the mapped owner an access token', async () => {
    const tokens = await grant(agent, await assertion(), { scope: 'read', resource: API });
    const claims = JSON.parse(
      Buffer.from(tokens.access_token.split('.')[1] as string, 'base64url').toString(),
    );
    expect(claims).toMatchObject({ sub: owner.id, scope: 'read', aud: API, client_id: agent.clientId });
    expect(tokens.refresh_token).toBeUndefined();
    const viaTokenEndpoint = await grant(agent, await assertion({ aud: `${issuer}/token` }));
    expect(viaTokenEndpoint.scope).toBe('read write');
  });

  it('R-TX-6: replayed jti, wrong aud, unknown issuer, unmapped sub, long exp, other client: invalid_grant', async () => {
    const once = await assertion();
    await grant(agent, once);
    expect(await refused(agent, once)).toBe('invalid_grant');
    expect(await refused(agent, await assertion({ aud: 'https://someone-else.example' }))).toBe(
      'invalid_grant',
    );
    expect(await refused(agent, await assertion({}, stranger))).toBe('invalid_grant');
    expect(await refused(agent, await assertion({ iss: idp.issuer }, stranger))).toBe('invalid_grant'); // wrong key
    expect(await refused(agent, await assertion({ email: 'nobody@example.com' }))).toBe('invalid_grant');
    const now = Math.floor(Date.now() / 1000);
    expect(await refused(agent, await assertion({ exp: now + 3600 }))).toBe('invalid_grant');
    expect(await refused(agent, await assertion({ exp: now - 120 }))).toBe('invalid_grant');
    expect(await refused(agent, await assertion({ jti: undefined }))).toBe('invalid_grant');
    expect(await refused(agent, await assertion({ client_id: 'another-client' }))).toBe('invalid_grant');
  });

  it('R-TX-6: an issuer configured by JWKS URL: keys fetched through the outbound fetcher', async () => {
    const hitsBefore = remote.jwksHits;
    const tokens = await grant(agent, await assertion({}, remote));
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(remote.jwksHits).toBeGreaterThan(hitsBefore);
    const forged = await stranger.sign(
      {
        iss: remote.issuer,
        aud: issuer,
        email: owner.username,
        jti: randomUUID(),
        exp: Math.floor(Date.now() / 1000) + 60,
      },
      { typ: 'JWT' },
    );
    expect(await refused(agent, forged)).toBe('invalid_grant');
    const both = await adminRequest(app).post('/admin/trusted-issuers', {
      issuer: 'https://both.example',
      jwks_uri: 'https://both.example/jwks',
      jwks: { keys: [remote.publicJwk] },
    });
    expect(both.status).toBe(400);
  });

  it('R-TX-5/R-TX-6: a client without jwt_bearer in its policy is unauthorized_client', async () => {
    expect(await refused(notAllowed, await assertion())).toBe('unauthorized_client');
  });
});
