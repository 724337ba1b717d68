import type { Server } from 'node:http';
import request from 'supertest';
import { RefreshTokenFamilyEntity } from '../../src/tokens/refresh-tokens/refresh-token-family.entity.js';
import { adminRequest } from '../support/admin-request.js';
import { createCodeClient, createOwner, obtainCode, type TestOwner } from '../support/authorize-flow.js';
import { basicAuth, createClient, form, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { expectOAuthError } from '../support/oauth-assertions.js';
import { startSecondInstance } from '../support/second-instance.js';
import { usingRedis } from '../support/test-env.js';

const RESOURCE = 'https://api.example.com';
// README "Operations": an admin change to a client reaches every instance within 1 s of the admin
// API's answer while Redis is up (pub/sub; without REDIS_URL the replica shares the process bus).
const PROPAGATION_BOUND_MS = 1000;
const SECRET_GRACE_SECONDS = 3;
const mode = usingRedis() ? 'Redis pub/sub' : 'in-process store';

/**
 * Issue 7 item 4: two instances (A = the test app, B = a replica on the same database and
 * store) behind an imaginary load balancer. Key rotation across instances is covered in
 * test/e2e/keys.e2e-spec.ts, login throttling in brute-force.reliability-spec.ts.
 */
describe(`two instances sharing the database and the short-lived store (${mode})`, () => {
  let app: TestApp;
  let b: Awaited<ReturnType<typeof startSecondInstance>>;
  let owner: TestOwner;
  let rs: TestClient;

  beforeAll(async () => {
    app = await createTestApp({
      CLIENT_SECRET_ROTATION_GRACE: String(SECRET_GRACE_SECONDS),
      // The propagation polls present stale credentials on purpose; do not lock the client out.
      CLIENT_AUTH_MAX_FAILURES: '10000',
    });
    b = await startSecondInstance(app);
    owner = await createOwner(app);
    rs = await createClient(app, { canIntrospect: true, grantTypes: [], allowedResources: [RESOURCE] });
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await app?.close();
  });

  const a = () => app.publicServer;
  const post = (server: Server, path: string, client: TestClient, params: Record<string, string>) =>
    request(server)
      .post(path)
      .type('form')
      .set('Authorization', basicAuth(client.clientId, client.secret))
      .send(form(params));
  const active = async (server: Server, token: string) =>
    (await post(server, '/introspect', rs, { token }).expect(200)).body.active as boolean;
  const refresh = (server: Server, client: TestClient, token: string) =>
    post(server, '/token', client, { grant_type: 'refresh_token', refresh_token: token });
  /** Login and consent at A's pages, then the code redeemed at B. */
  const tokensThroughA = async (client: TestClient) => {
    const { code, verifier } = await obtainCode(app, client, owner, { resource: RESOURCE });
    const redeem = () =>
      post(b.server, '/token', client, { grant_type: 'authorization_code', code, code_verifier: verifier });
    const res = await redeem().expect(200);
    return {
      code,
      verifier,
      accessToken: res.body.access_token as string,
      refreshToken: res.body.refresh_token as string,
    };
  };

  it('R-CODE-4/R-CODE-5: a code issued at A is redeemed at B; a second redemption at A is invalid_grant and revokes the first tokens', async () => {
    const client = await createCodeClient(app);
    const { code, verifier, accessToken, refreshToken } = await tokensThroughA(client);
    expect(await active(a(), accessToken)).toBe(true);
    const replay = await post(a(), '/token', client, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
    });
    expectOAuthError(replay, 400, 'invalid_grant');
    expect(await active(a(), accessToken)).toBe(false);
    expect(await active(b.server, accessToken)).toBe(false);
    expectOAuthError(await refresh(b.server, client, refreshToken), 400, 'invalid_grant');
  });

  it.each(['opaque', 'jwt'] as const)(
    'R-REV-9: an access token (%s) issued at A and revoked at B is active:false at A',
    async (accessTokenFormat) => {
      const client = await createClient(app, { accessTokenFormat });
      const issued = await post(a(), '/token', client, {
        grant_type: 'client_credentials',
        resource: RESOURCE,
      }).expect(200);
      const token = issued.body.access_token as string;
      expect(token.split('.')).toHaveLength(accessTokenFormat === 'jwt' ? 3 : 1);
      expect(await active(a(), token)).toBe(true);
      await post(b.server, '/revoke', client, { token, token_type_hint: 'access_token' }).expect(200);
      expect(await active(a(), token)).toBe(false);
      expect(await active(b.server, token)).toBe(false);
    },
  );

  it('R-RT-7/R-RT-8: a refresh token rotated at A is refused at B, and that reuse revokes the family', async () => {
    const client = await createCodeClient(app);
    const { refreshToken } = await tokensThroughA(client);
    const rotated = await refresh(a(), client, refreshToken).expect(200);
    const next = rotated.body.refresh_token as string;
    expect(next).not.toBe(refreshToken);
    expect(await active(b.server, rotated.body.access_token as string)).toBe(true);

    expectOAuthError(await refresh(b.server, client, refreshToken), 400, 'invalid_grant');
    // The reuse at B revoked the whole family: the token A handed out last is dead everywhere.
    expectOAuthError(await refresh(a(), client, next), 400, 'invalid_grant');
    expectOAuthError(await refresh(b.server, client, next), 400, 'invalid_grant');
    expect(await active(a(), rotated.body.access_token as string)).toBe(false);
    const families = await app.shared.dataSource
      .getRepository(RefreshTokenFamilyEntity)
      .findBy({ clientId: client.clientId });
    expect(families).toHaveLength(1);
    expect(families[0]?.revokedAt).not.toBeNull();
  });

  /** A confidential client_credentials client created through A's admin API. */
  const adminClient = async (): Promise<TestClient> => {
    const res = await adminRequest(app)
      .post('/admin/clients', {
        client_name: 'replicated',
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_basic',
        allowed_resources: [RESOURCE],
      })
      .expect(201);
    return {
      client: res.body,
      clientId: res.body.client_id as string,
      secret: res.body.client_secret as string,
    };
  };
  const tokenAt = (server: Server, client: TestClient) =>
    post(server, '/token', client, { grant_type: 'client_credentials', resource: RESOURCE });

  /**
   * Polls B (4 pollers, every 10–20 ms) until `expected` answers; returns the milliseconds from
   * `since`, and the requests that STARTED after the first expected answer arrived yet got another
   * status (a stale cache entry written back after the eviction would show up here).
   */
  const pollUntil = async (client: TestClient, expected: number, since: number) => {
    let seenAt = 0;
    const lateOthers: number[] = [];
    const poller = async () => {
      while (Date.now() - since < 10_000) {
        const started = Date.now();
        const { status } = await tokenAt(b.server, client);
        if (status === expected && seenAt === 0) {
          seenAt = Date.now();
        } else if (status !== expected && seenAt !== 0 && started > seenAt) {
          lateOthers.push(status);
        }
        if (seenAt !== 0 && Date.now() - seenAt > 200) {
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 10));
      }
    };
    await Promise.all(Array.from({ length: 4 }, poller));
    expect(seenAt).toBeGreaterThan(0);
    return { ms: seenAt - since, lateOthers };
  };

  it(`a client disabled through A's admin API is refused at B within ${PROPAGATION_BOUND_MS} ms, and enabled again as fast`, async () => {
    const client = await adminClient();
    // B has the client in its cache before the change.
    await tokenAt(b.server, client).expect(200);
    await adminRequest(app).patch(`/admin/clients/${client.clientId}`, { disabled: true }).expect(200);
    const disabled = await pollUntil(client, 401, Date.now());
    expect(disabled.lateOthers).toEqual([]);
    expectOAuthError(await tokenAt(b.server, client), 401, 'invalid_client');
    process.stderr.write(
      `[reliability] two instances: client disable visible at B after ${disabled.ms} ms\n`,
    );

    await adminRequest(app).patch(`/admin/clients/${client.clientId}`, { disabled: false }).expect(200);
    const enabled = await pollUntil(client, 200, Date.now());
    expect(enabled.lateOthers).toEqual([]);
    process.stderr.write(
      `[reliability] two instances: client re-enable visible at B after ${enabled.ms} ms\n`,
    );
    expect(disabled.ms).toBeLessThan(PROPAGATION_BOUND_MS);
    expect(enabled.ms).toBeLessThan(PROPAGATION_BOUND_MS);
  }, 30_000);

  it(`R-CAUTH: a secret rotated through A's admin API works at B within ${PROPAGATION_BOUND_MS} ms; the old one works at B for CLIENT_SECRET_ROTATION_GRACE, then not`, async () => {
    const client = await adminClient();
    await tokenAt(b.server, client).expect(200);
    const rotation = await adminRequest(app).post(`/admin/clients/${client.clientId}/secret`).expect(200);
    const rotatedAt = Date.now();
    const newSecret = rotation.body.client_secret as string;
    const graceEnds = Date.parse(rotation.body.previous_secret_expires_at as string);
    expect(graceEnds - rotatedAt).toBeGreaterThan((SECRET_GRACE_SECONDS - 1) * 1000);
    const rotated = { ...client, secret: newSecret };
    const visible = await pollUntil(rotated, 200, rotatedAt);
    expect(visible.lateOthers).toEqual([]);
    process.stderr.write(
      `[reliability] two instances: secret rotation visible at B after ${visible.ms} ms\n`,
    );
    expect(visible.ms).toBeLessThan(PROPAGATION_BOUND_MS);
    // Within the grace period both secrets work at both instances.
    await tokenAt(b.server, client).expect(200);
    await tokenAt(a(), client).expect(200);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, graceEnds - Date.now()) + 200));
    expectOAuthError(await tokenAt(b.server, client), 401, 'invalid_client');
    expectOAuthError(await tokenAt(a(), client), 401, 'invalid_client');
    await tokenAt(b.server, rotated).expect(200);
  }, 30_000);
});
