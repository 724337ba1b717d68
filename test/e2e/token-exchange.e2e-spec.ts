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
  REDIRECT_URI,
  type TestOwner,
} from '../support/authorize-flow.js';
import { basicAuth, createClient, form, type TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { FakeIssuer } from '../support/fake-issuer.js';
import { createListeningTestApp } from '../support/listening-app.js';
import { issueFamily } from '../support/refresh-tokens.js';
import { UserAgent } from '../support/user-agent.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const AT = 'urn:ietf:params:oauth:token-type:access_token';
const RT = 'urn:ietf:params:oauth:token-type:refresh_token';
const JWT = 'urn:ietf:params:oauth:token-type:jwt';
const IDT = 'urn:ietf:params:oauth:token-type:id_token';
const OTHER_API = 'https://other-api.example.com';

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;

/** RFC 8693 token exchange driven by oauth4webapi (unmodified): genericTokenEndpointRequest, v3 name of genericGrantRequest. */
describe('token exchange (RFC 8693)', () => {
  let app: TestApp;
  let issuer: string;
  let as: oauth.AuthorizationServer;
  let sampleApi: string;
  let owner: TestOwner;
  let userApp: TestClient;
  let serviceA: TestClient;
  let serviceB: TestClient;
  let impersonator: TestClient;
  let rs: TestClient;
  let external: FakeIssuer;
  let rogue: FakeIssuer;
  const options = { [oauth.allowInsecureRequests]: true };

  const setPolicy = (client: TestClient, policy: Record<string, unknown>) =>
    adminRequest(app).put(`/admin/clients/${client.clientId}/token-exchange-policy`, {
      subject_token_types: ['access_token'],
      issuers: [],
      audiences: [sampleApi],
      delegation: true,
      impersonation: false,
      jwt_bearer: false,
      ...policy,
    });

  const exchange = async (client: TestClient, params: Record<string, string>) => {
    const response = await oauth.genericTokenEndpointRequest(
      as,
      { client_id: client.clientId },
      oauth.ClientSecretBasic(client.secret),
      GRANT,
      new URLSearchParams(params),
      options,
    );
    return oauth.processGenericTokenEndpointResponse(as, { client_id: client.clientId }, response);
  };
  const refused = async (client: TestClient, params: Record<string, string>) => {
    try {
      await exchange(client, params);
    } catch (err) {
      if (err instanceof oauth.ResponseBodyError) {
        return err.error;
      }
      throw err;
    }
    throw new Error('the exchange succeeded');
  };
  const userToken = async (scope = 'notes:read notes:write') => {
    const family = await issueFamily(app, userApp.client, {
      ownerId: owner.id,
      scope,
      resources: [sampleApi],
    });
    const res = await request(app.publicServer)
      .post('/token')
      .set('Authorization', basicAuth(userApp.clientId, userApp.secret))
      .type('form')
      .send(form({ grant_type: 'refresh_token', refresh_token: family.token }));
    return {
      access: res.body.access_token as string,
      refresh: res.body.refresh_token as string,
      grant: family.familyId,
    };
  };
  const serviceToken = async (client: TestClient) => {
    const res = await request(app.publicServer)
      .post('/token')
      .set('Authorization', basicAuth(client.clientId, client.secret))
      .type('form')
      .send(form({ grant_type: 'client_credentials', scope: 'read' }));
    return res.body.access_token as string;
  };

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp());
    sampleApi = `${issuer}/api`;
    as = await oauth.processDiscoveryResponse(
      new URL(issuer),
      await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oauth2', ...options }),
    );
    owner = await createOwner(app);
    external = await FakeIssuer.start();
    rogue = await FakeIssuer.start();
    userApp = await createClient(app, {
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: 'notes:read notes:write',
      allowedResources: [sampleApi],
    });
    const exchanger = { grantTypes: [GRANT, 'client_credentials'] as never, scope: 'read' };
    serviceA = await createClient(app, exchanger);
    serviceB = await createClient(app, exchanger);
    impersonator = await createClient(app, exchanger);
    rs = await createClient(app, {
      canIntrospect: true,
      grantTypes: ['client_credentials'],
      allowedResources: [sampleApi],
    });
    expect((await setPolicy(serviceA, { audiences: [sampleApi, OTHER_API] })).status).toBe(200);
    expect((await setPolicy(serviceB, {})).status).toBe(200);
    expect(
      (
        await setPolicy(impersonator, {
          delegation: false,
          impersonation: true,
          subject_token_types: ['access_token', 'jwt'],
          issuers: [external.issuer],
        })
      ).status,
    ).toBe(200);
    const trusted = await adminRequest(app).post('/admin/trusted-issuers', {
      issuer: external.issuer,
      jwks: { keys: [external.publicJwk] },
      subject_claim: 'preferred_username',
    });
    expect(trusted.status).toBe(201);
  });
  afterAll(async () => {
    await external.close();
    await rogue.close();
    await app.close();
  });

  it("R-TX-2/R-TX-4: delegation: actor_token → act names the actor, sub stays the user's; introspection shows act", async () => {
    const user = await userToken();
    const actor = await serviceToken(serviceA);
    const result = await exchange(serviceA, {
      subject_token: user.access,
      subject_token_type: AT,
      actor_token: actor,
      actor_token_type: AT,
      resource: sampleApi,
      scope: 'notes:read',
    });
    expect(result.issued_token_type).toBe(AT);
    expect(result.token_type).toBe('bearer');
    expect(result.scope).toBe('notes:read');
    const claims = claimsOf(result.access_token);
    expect(claims).toMatchObject({
      sub: owner.id,
      aud: sampleApi,
      act: { sub: serviceA.clientId, client_id: serviceA.clientId },
    });
    const introspected = await request(app.publicServer)
      .post('/introspect')
      .set('Authorization', basicAuth(rs.clientId, rs.secret))
      .type('form')
      .send(form({ token: result.access_token }));
    expect(introspected.body).toMatchObject({ active: true, sub: owner.id, act: { sub: serviceA.clientId } });
  });

  it('R-TX-4: a chain of two exchanges nests act (B acting for A acting for the user)', async () => {
    const user = await userToken();
    const first = await exchange(serviceA, {
      subject_token: user.access,
      subject_token_type: AT,
      actor_token: await serviceToken(serviceA),
      actor_token_type: AT,
      resource: sampleApi,
    });
    const second = await exchange(serviceB, {
      subject_token: first.access_token,
      subject_token_type: AT,
      actor_token: await serviceToken(serviceB),
      actor_token_type: AT,
      resource: sampleApi,
    });
    expect(claimsOf(second.access_token)).toMatchObject({
      sub: owner.id,
      act: { sub: serviceB.clientId, act: { sub: serviceA.clientId } },
    });
  });

  it('R-TX-5: impersonation (allowed by policy): no act; with an external JWT subject mapped to the owner', async () => {
    const user = await userToken();
    const plain = await exchange(impersonator, {
      subject_token: user.access,
      subject_token_type: AT,
      scope: 'notes:read',
    });
    expect(claimsOf(plain.access_token).act).toBeUndefined();
    expect(claimsOf(plain.access_token).sub).toBe(owner.id);
    const jwt = await external.sign(
      { preferred_username: owner.username, scope: 'notes:read' },
      { typ: 'JWT' },
    );
    const fromJwt = await exchange(impersonator, { subject_token: jwt, subject_token_type: JWT });
    expect(claimsOf(fromJwt.access_token)).toMatchObject({
      sub: owner.id,
      scope: 'notes:read',
      aud: sampleApi,
    });
  });

  it("R-TX-3: opaque access tokens and the client's own refresh tokens are subject tokens too", async () => {
    const opaqueApp = await createClient(app, {
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: 'notes:read',
      allowedResources: [sampleApi],
      accessTokenFormat: 'opaque',
    });
    const family = await issueFamily(app, opaqueApp.client, {
      ownerId: owner.id,
      scope: 'notes:read',
      resources: [sampleApi],
    });
    const refreshed = await request(app.publicServer)
      .post('/token')
      .set('Authorization', basicAuth(opaqueApp.clientId, opaqueApp.secret))
      .type('form')
      .send(form({ grant_type: 'refresh_token', refresh_token: family.token }));
    const opaque = refreshed.body.access_token as string;
    expect(opaque).not.toContain('.');
    const fromOpaque = await exchange(serviceA, {
      subject_token: opaque,
      subject_token_type: AT,
      resource: sampleApi,
    });
    expect(claimsOf(fromOpaque.access_token)).toMatchObject({
      sub: owner.id,
      scope: 'notes:read',
      act: { sub: serviceA.clientId },
    });

    await setPolicy(serviceB, { subject_token_types: ['access_token', 'refresh_token'] });
    const own = await issueFamily(app, serviceB.client, {
      ownerId: owner.id,
      scope: 'notes:read',
      resources: [sampleApi],
    });
    const fromRefresh = await exchange(serviceB, {
      subject_token: own.token,
      subject_token_type: RT,
      resource: sampleApi,
    });
    expect(claimsOf(fromRefresh.access_token)).toMatchObject({
      sub: owner.id,
      act: { sub: serviceB.clientId },
    });
    // Another client's (active) refresh token is not a valid subject token.
    const othersFamily = await issueFamily(app, opaqueApp.client, { ownerId: owner.id, scope: 'notes:read' });
    expect(
      await refused(serviceB, {
        subject_token: othersFamily.token,
        subject_token_type: RT,
        resource: sampleApi,
      }),
    ).toBe('invalid_request');
    await setPolicy(serviceB, {});
  });

  it('R-TX-3: the exchanged token works at the sample API only for its audience', async () => {
    const user = await userToken();
    const actor = await serviceToken(serviceA);
    const base = {
      subject_token: user.access,
      subject_token_type: AT,
      actor_token: actor,
      actor_token_type: AT,
    };
    const forApi = await exchange(serviceA, { ...base, resource: sampleApi, scope: 'notes:read' });
    const forOther = await exchange(serviceA, { ...base, audience: OTHER_API, scope: 'notes:read' });
    expect(claimsOf(forOther.access_token).aud).toBe(OTHER_API);
    const api = (token: string) =>
      request(app.publicServer).get('/api/notes').set('Authorization', `Bearer ${token}`);
    expect((await api(forApi.access_token)).status).toBe(200);
    expect((await api(forOther.access_token)).status).toBe(401);
  });

  it('R-TX-1/R-TX-3/R-TX-5: every refusal has its error code', async () => {
    const user = await userToken();
    const actor = await serviceToken(serviceA);
    const nobody = await createClient(app, { grantTypes: [GRANT], scope: 'read' });
    const base = {
      subject_token: user.access,
      subject_token_type: AT,
      actor_token: actor,
      actor_token_type: AT,
    };
    expect(await refused(serviceA, { subject_token_type: AT })).toBe('invalid_request');
    expect(
      await refused(serviceA, { subject_token: user.access, subject_token_type: AT, actor_token: actor }),
    ).toBe('invalid_request');
    expect(await refused(serviceA, { ...base, subject_token_type: 'urn:example:unknown' })).toBe(
      'invalid_request',
    );
    // A subject token type the client's policy does not list.
    expect(await refused(serviceA, { ...base, subject_token_type: IDT })).toBe('unauthorized_client');
    expect(await refused(serviceA, { ...base, subject_token: 'not-a-token' })).toBe('invalid_request');
    expect(await refused(serviceA, { ...base, requested_token_type: JWT })).toBe('invalid_request');
    expect(await refused(nobody, base)).toBe('unauthorized_client'); // no policy: nothing allowed
    expect(await refused(serviceA, { ...base, subject_token: user.refresh, subject_token_type: RT })).toBe(
      'unauthorized_client',
    );
    // Without an actor token and without the right to impersonate, the client itself is the actor.
    const selfActing = await exchange(serviceA, {
      subject_token: user.access,
      subject_token_type: AT,
      resource: sampleApi,
    });
    expect(claimsOf(selfActing.access_token).act).toEqual({
      sub: serviceA.clientId,
      client_id: serviceA.clientId,
    });
    expect(await refused(impersonator, base)).toBe('unauthorized_client'); // may not delegate
    expect(await refused(serviceA, { ...base, resource: 'https://not-allowed.example' })).toBe(
      'invalid_target',
    );
    expect(await refused(serviceA, { ...base, resource: sampleApi, audience: OTHER_API })).toBe(
      'invalid_target',
    );
    expect(await refused(serviceA, { ...base, resource: sampleApi, scope: 'notes:read admin' })).toBe(
      'invalid_scope',
    );
    const wrongKey = await rogue.sign(
      { iss: external.issuer, preferred_username: owner.username },
      { typ: 'JWT' },
    );
    expect(await refused(impersonator, { subject_token: wrongKey, subject_token_type: JWT })).toBe(
      'invalid_request',
    );
    const wrongIssuer = await rogue.sign({ preferred_username: owner.username }, { typ: 'JWT' });
    expect(await refused(impersonator, { subject_token: wrongIssuer, subject_token_type: JWT })).toBe(
      'invalid_request',
    );
    const unmapped = await external.sign({ preferred_username: 'nobody-here' }, { typ: 'JWT' });
    expect(await refused(impersonator, { subject_token: unmapped, subject_token_type: JWT })).toBe(
      'invalid_request',
    );
  });

  it("R-TX-3: revoking the subject's grant revokes the exchanged token", async () => {
    const user = await userToken();
    const result = await exchange(serviceA, {
      subject_token: user.access,
      subject_token_type: AT,
      actor_token: await serviceToken(serviceA),
      actor_token_type: AT,
      resource: sampleApi,
    });
    const active = async () =>
      (
        await request(app.publicServer)
          .post('/introspect')
          .set('Authorization', basicAuth(rs.clientId, rs.secret))
          .type('form')
          .send(form({ token: result.access_token }))
      ).body.active as boolean;
    expect(await active()).toBe(true);
    await adminRequest(app).delete(`/admin/grants/${user.grant}`).expect(204);
    expect(await active()).toBe(false);
    // A revoked subject token cannot be exchanged any more.
    expect(
      await refused(serviceA, {
        subject_token: user.access,
        subject_token_type: AT,
        actor_token: await serviceToken(serviceA),
        actor_token_type: AT,
        resource: sampleApi,
      }),
    ).toBe('invalid_request');
  });

  it('R-TX-3: our ID token is a subject token for the client it was issued to, and for no other', async () => {
    const rp = await createCodeClient(app, {
      grantTypes: ['authorization_code', 'refresh_token', GRANT] as never,
      scope: 'openid notes:read',
    });
    expect((await setPolicy(rp, { subject_token_types: ['id_token'] })).status).toBe(200);
    const req = codeRequest(rp.clientId, { scope: 'openid' });
    const code = callbackParams(
      await authorizeThroughPages(new UserAgent(app.publicServer), req.url, owner),
    ).get('code') as string;
    const tokens = await exchangeCode(app, rp, {
      code,
      code_verifier: req.pkce.verifier,
      redirect_uri: REDIRECT_URI,
    }).expect(200);
    const idToken = (tokens.body as { id_token: string }).id_token;

    const exchanged = await exchange(rp, {
      subject_token: idToken,
      subject_token_type: IDT,
      resource: sampleApi,
      scope: 'notes:read',
    });
    expect(claimsOf(exchanged.access_token)).toMatchObject({
      sub: owner.id,
      aud: sampleApi,
      scope: 'notes:read',
      act: { sub: rp.clientId },
    });
    // Not for a client the ID token was not issued to, even one whose policy allows ID tokens.
    await setPolicy(serviceB, { subject_token_types: ['id_token'] });
    expect(
      await refused(serviceB, { subject_token: idToken, subject_token_type: IDT, resource: sampleApi }),
    ).toBe('invalid_request');
    // Not a forged or garbled one.
    expect(
      await refused(rp, { subject_token: `${idToken}x`, subject_token_type: IDT, resource: sampleApi }),
    ).toBe('invalid_request');
    await setPolicy(serviceB, {});
  });

  it('R-TX-5: the policy admin API validates and round-trips; a missing policy is 404', async () => {
    const got = await adminRequest(app).get(`/admin/clients/${serviceA.clientId}/token-exchange-policy`);
    expect(got.body).toMatchObject({
      client_id: serviceA.clientId,
      audiences: [sampleApi, OTHER_API],
      delegation: true,
    });
    expect((await setPolicy(serviceA, { subject_token_types: ['saml2'] })).status).toBe(400);
    expect((await setPolicy(serviceA, { audiences: ['not a uri'] })).status).toBe(400);
    const nobody = await createClient(app, { grantTypes: [GRANT] });
    expect(
      (await adminRequest(app).get(`/admin/clients/${nobody.clientId}/token-exchange-policy`)).status,
    ).toBe(404);
    const privateKey = await adminRequest(app).post('/admin/trusted-issuers', {
      issuer: 'https://x.example',
      jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] },
    });
    expect(privateKey.status).toBe(400);
  });
});
