import * as oauth from 'oauth4webapi';
import request from 'supertest';
import { adminRequest } from '../support/admin-request.js';
import { createOwner, type TestOwner } from '../support/authorize-flow.js';
import { basicAuth, createClient, form, type TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { createListeningTestApp } from '../support/listening-app.js';
import { issueFamily } from '../support/refresh-tokens.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const AT = 'urn:ietf:params:oauth:token-type:access_token';
const RT = 'urn:ietf:params:oauth:token-type:refresh_token';

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;

/**
 * RFC 8693 requested_token_type=refresh_token (issue 15): per-client policy, child grants
 * carrying `act`, and the revocation cascade from the subject's grant. Driven by oauth4webapi
 * (unmodified): genericTokenEndpointRequest for the exchange, refreshTokenGrantRequest to refresh.
 */
describe('token exchange for refresh tokens (RFC 8693)', () => {
  let app: TestApp;
  let issuer: string;
  let as: oauth.AuthorizationServer;
  let sampleApi: string;
  let owner: TestOwner;
  let userApp: TestClient;
  let agent: TestClient;
  let noRefresh: TestClient;
  let rs: TestClient;
  const options = { [oauth.allowInsecureRequests]: true };

  const setPolicy = (client: TestClient, policy: Record<string, unknown>) =>
    adminRequest(app).put(`/admin/clients/${client.clientId}/token-exchange-policy`, {
      subject_token_types: ['access_token', 'refresh_token'],
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
  const refresh = async (client: TestClient, token: string) => {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      { client_id: client.clientId },
      oauth.ClientSecretBasic(client.secret),
      token,
      options,
    );
    return oauth.processRefreshTokenResponse(as, { client_id: client.clientId }, response);
  };
  const errorOf = async (attempt: Promise<unknown>) => {
    try {
      await attempt;
    } catch (err) {
      if (err instanceof oauth.ResponseBodyError) {
        return { error: err.error, description: err.error_description };
      }
      throw err;
    }
    throw new Error('the request succeeded');
  };
  const introspect = async (caller: TestClient, token: string) =>
    (
      await request(app.publicServer)
        .post('/introspect')
        .set('Authorization', basicAuth(caller.clientId, caller.secret))
        .type('form')
        .send(form({ token }))
    ).body as Record<string, unknown>;
  /** The user's grant at userApp: its refresh token (rotated once) and an access token of it. */
  const userGrant = async () => {
    const family = await issueFamily(app, userApp.client, {
      ownerId: owner.id,
      scope: 'notes:read notes:write',
      resources: [sampleApi],
    });
    const res = await request(app.publicServer)
      .post('/token')
      .set('Authorization', basicAuth(userApp.clientId, userApp.secret))
      .type('form')
      .send(form({ grant_type: 'refresh_token', refresh_token: family.token }))
      .expect(200);
    return {
      first: family.token,
      access: res.body.access_token as string,
      refresh: res.body.refresh_token as string,
      id: family.familyId,
    };
  };
  const exchangeForRefresh = (client: TestClient, subject: string, type = AT) =>
    exchange(client, {
      subject_token: subject,
      subject_token_type: type,
      requested_token_type: RT,
      resource: sampleApi,
      scope: 'notes:read',
    });

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp());
    sampleApi = `${issuer}/api`;
    as = await oauth.processDiscoveryResponse(
      new URL(issuer),
      await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oauth2', ...options }),
    );
    owner = await createOwner(app);
    userApp = await createClient(app, {
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: 'notes:read notes:write',
      allowedResources: [sampleApi],
    });
    const exchanger = {
      grantTypes: [GRANT, 'client_credentials', 'refresh_token'] as never,
      scope: 'notes:read notes:write read',
      allowedResources: [sampleApi],
      canIntrospect: true,
    };
    agent = await createClient(app, exchanger);
    noRefresh = await createClient(app, exchanger);
    rs = await createClient(app, {
      canIntrospect: true,
      grantTypes: ['client_credentials'],
      allowedResources: [sampleApi],
    });
    expect((await setPolicy(agent, { refresh_tokens: true })).status).toBe(200);
    expect((await setPolicy(noRefresh, {})).status).toBe(200);
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-TX-5: without refresh_tokens in the policy (the default), requested_token_type refresh_token is refused', async () => {
    const got = await adminRequest(app).get(`/admin/clients/${noRefresh.clientId}/token-exchange-policy`);
    expect(got.body).toMatchObject({ refresh_tokens: false });
    const user = await userGrant();
    const refused = await errorOf(exchangeForRefresh(noRefresh, user.access));
    expect(refused.error).toBe('invalid_request');
    expect(refused.description).toMatch(/may not obtain refresh tokens/);
    // The plain exchange still works for that client.
    const plain = await exchange(noRefresh, {
      subject_token: user.access,
      subject_token_type: AT,
      resource: sampleApi,
    });
    expect(plain.issued_token_type).toBe(AT);
    expect(plain.refresh_token).toBeUndefined();
  });

  it('R-TX-2/R-TX-4: with the policy, a refresh token is issued; refreshing it keeps sub and act (token and introspection)', async () => {
    const got = await adminRequest(app).get(`/admin/clients/${agent.clientId}/token-exchange-policy`);
    expect(got.body).toMatchObject({ refresh_tokens: true });
    const user = await userGrant();
    const result = await exchangeForRefresh(agent, user.access);
    expect(result.issued_token_type).toBe(RT);
    expect(typeof result.refresh_token).toBe('string');
    expect(result.scope).toBe('notes:read');
    const act = { sub: agent.clientId, client_id: agent.clientId };
    expect(claimsOf(result.access_token)).toMatchObject({ sub: owner.id, aud: sampleApi, act });
    expect(await introspect(agent, result.refresh_token as string)).toMatchObject({
      active: true,
      token_type: 'refresh_token',
      sub: owner.id,
      act,
    });

    const refreshed = await refresh(agent, result.refresh_token as string);
    expect(claimsOf(refreshed.access_token)).toMatchObject({ sub: owner.id, aud: sampleApi, act });
    expect(await introspect(rs, refreshed.access_token)).toMatchObject({ active: true, sub: owner.id, act });
    // The subject's own grant does not gain act.
    const userRefreshed = await refresh(userApp, user.refresh);
    expect(claimsOf(userRefreshed.access_token).act).toBeUndefined();
    // A refresh-token subject (the agent's own grant) works too.
    const own = await issueFamily(app, agent.client, {
      ownerId: owner.id,
      scope: 'notes:read',
      resources: [sampleApi],
    });
    const fromRefresh = await exchangeForRefresh(agent, own.token, RT);
    expect(fromRefresh.issued_token_type).toBe(RT);
    expect(claimsOf((await refresh(agent, fromRefresh.refresh_token as string)).access_token)).toMatchObject({
      act,
    });
  });

  it("R-TX-3: revoking the subject's refresh token at /revoke revokes the exchanged refresh token and its access tokens", async () => {
    const user = await userGrant();
    const result = await exchangeForRefresh(agent, user.access);
    const refreshed = await refresh(agent, result.refresh_token as string);
    await request(app.publicServer)
      .post('/revoke')
      .set('Authorization', basicAuth(userApp.clientId, userApp.secret))
      .type('form')
      .send(form({ token: user.refresh, token_type_hint: 'refresh_token' }))
      .expect(200);
    expect(await introspect(agent, refreshed.refresh_token as string)).toEqual({ active: false });
    expect(await introspect(rs, refreshed.access_token)).toEqual({ active: false });
    expect((await errorOf(refresh(agent, refreshed.refresh_token as string))).error).toBe('invalid_grant');
  });

  it("R-TX-3: revoking the subject's grant (admin DELETE /admin/grants/:id) revokes exchanged grants, an exchange of an exchange too", async () => {
    const user = await userGrant();
    const result = await exchangeForRefresh(agent, user.access);
    // An exchange of the exchanged refresh token: a grandchild grant, act nested.
    const second = await exchangeForRefresh(agent, result.refresh_token as string, RT);
    expect(claimsOf(second.access_token).act).toMatchObject({
      sub: agent.clientId,
      act: { sub: agent.clientId },
    });
    expect(await introspect(agent, second.refresh_token as string)).toMatchObject({ active: true });
    await adminRequest(app).delete(`/admin/grants/${user.id}`).expect(204);
    for (const token of [result.refresh_token, second.refresh_token] as string[]) {
      expect(await introspect(agent, token)).toEqual({ active: false });
      expect((await errorOf(refresh(agent, token))).error).toBe('invalid_grant');
    }
    expect(await introspect(rs, result.access_token)).toEqual({ active: false });
    // A revoked subject grant yields nothing any more.
    expect((await errorOf(exchangeForRefresh(agent, user.access))).error).toBe('invalid_request');
  });

  it("R-TX-3: refresh-token reuse on the subject's grant (R-RT-8) revokes the exchanged grant too", async () => {
    const user = await userGrant();
    const result = await exchangeForRefresh(agent, user.access);
    // The first refresh token was rotated out by userGrant(): presenting it again is reuse.
    expect((await errorOf(refresh(userApp, user.first))).error).toBe('invalid_grant');
    expect(await introspect(agent, result.refresh_token as string)).toEqual({ active: false });
    expect((await errorOf(refresh(agent, result.refresh_token as string))).error).toBe('invalid_grant');
  });

  it('R-TX-3: a subject token without a grant (client_credentials) cannot yield a refresh token', async () => {
    const cc = await request(app.publicServer)
      .post('/token')
      .set('Authorization', basicAuth(agent.clientId, agent.secret))
      .type('form')
      .send(form({ grant_type: 'client_credentials', scope: 'read' }))
      .expect(200);
    const refused = await errorOf(exchangeForRefresh(agent, cc.body.access_token as string));
    expect(refused.error).toBe('invalid_request');
    expect(refused.description).toMatch(/tied to a grant/);
  });
});
