import * as oauth from 'oauth4webapi';
import request from 'supertest';
import { createClient, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { createListeningTestApp } from '../support/listening-app.js';
import { parseExposition, sampleValue, type Sample } from '../support/prometheus.js';
import { issueFamily } from '../support/refresh-tokens.js';

/** Issue #17 item 1: Prometheus exposition on the admin listener, driven by real token traffic. */
describe('#17.1 GET /metrics (admin listener)', () => {
  let app: TestApp;
  let as: oauth.AuthorizationServer;
  let client: TestClient;
  const options = { [oauth.allowInsecureRequests]: true };
  const API = 'https://api.example.com';

  beforeAll(async () => {
    const started = await createListeningTestApp({ LOG_LEVEL: 'error' });
    app = started.app;
    const issuer = new URL(started.issuer);
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...options }),
    );
    client = await createClient(app, { clientName: 'metrics-client-name' });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function scrape(): Promise<Sample[]> {
    const res = await request(app.adminServer).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(res.text);
  }

  it('serves process metrics, event-loop lag and the signing-key gauges, without the admin token', async () => {
    const samples = await scrape();
    expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    expect(sampleValue(samples, 'tessera_signing_key_active_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(samples, 'tessera_signing_key_next_rotation_seconds')).toBeGreaterThan(0);
  });

  it('R-TOK-8: a client_credentials token moves tessera_tokens_issued_total and the /token request histogram', async () => {
    const before = await scrape();
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: client.clientId },
      oauth.ClientSecretBasic(client.secret),
      { scope: 'read', resource: API },
      options,
    );
    await oauth.processClientCredentialsResponse(as, { client_id: client.clientId }, response);
    const after = await scrape();
    const issued = { grant_type: 'client_credentials', token_type: 'access_token', format: 'jwt' };
    expect(sampleValue(after, 'tessera_tokens_issued_total', issued)).toBe(
      sampleValue(before, 'tessera_tokens_issued_total', issued) + 1,
    );
    const tokenRoute = { listener: 'public', route: '/token', method: 'POST', status: '200' };
    expect(sampleValue(after, 'tessera_http_request_duration_seconds_count', tokenRoute)).toBe(
      sampleValue(before, 'tessera_http_request_duration_seconds_count', tokenRoute) + 1,
    );
    expect(sampleValue(after, 'tessera_db_query_duration_seconds_count')).toBeGreaterThan(0);
  });

  it('R-RT-8: a replayed refresh token counts one reuse detection and one family revocation', async () => {
    const { token } = await issueFamily(app, client.client);
    const auth = oauth.ClientSecretBasic(client.secret);
    const before = await scrape();
    const first = await oauth.refreshTokenGrantRequest(
      as,
      { client_id: client.clientId },
      auth,
      token,
      options,
    );
    await oauth.processRefreshTokenResponse(as, { client_id: client.clientId }, first);
    const replay = await oauth.refreshTokenGrantRequest(
      as,
      { client_id: client.clientId },
      auth,
      token,
      options,
    );
    expect(replay.status).toBe(400);
    const after = await scrape();
    expect(sampleValue(after, 'tessera_refresh_token_reuse_detected_total')).toBe(
      sampleValue(before, 'tessera_refresh_token_reuse_detected_total') + 1,
    );
    expect(sampleValue(after, 'tessera_refresh_token_families_revoked_total')).toBe(
      sampleValue(before, 'tessera_refresh_token_families_revoked_total') + 1,
    );
    expect(
      sampleValue(after, 'tessera_tokens_issued_total', {
        grant_type: 'refresh_token',
        token_type: 'refresh_token',
      }),
    ).toBeGreaterThan(0);
  });

  it('times short-lived store operations; a URL that matches no route is one "unmatched" series', async () => {
    await request(app.adminServer).get('/health/ready').expect(200);
    await request(app.publicServer).get(`/no/such/${client.clientId}`).expect(404);
    const samples = await scrape();
    expect(
      sampleValue(samples, 'tessera_store_operation_duration_seconds_count', { operation: 'ping' }),
    ).toBeGreaterThan(0);
    expect(
      sampleValue(samples, 'tessera_http_request_duration_seconds_count', {
        route: 'unmatched',
        status: '404',
      }),
    ).toBeGreaterThan(0);
  });

  it('no client id, client name or path with an id appears in any label', async () => {
    const samples = await scrape();
    const values = samples.flatMap((s) => Object.values(s.labels));
    expect(values.filter((v) => v.includes(client.clientId) || v.includes('metrics-client-name'))).toEqual(
      [],
    );
    const routes = new Set(samples.filter((s) => s.labels.route).map((s) => s.labels.route));
    expect([...routes].filter((r) => r !== 'unmatched' && !r?.startsWith('/'))).toEqual([]);
  });

  it('is not served on the public listener', async () => {
    await request(app.publicServer).get('/metrics').expect(404);
  });
});

describe('#17.1 METRICS_ENABLED=false', () => {
  it('answers 404 on /metrics', async () => {
    const app = await createTestApp({ METRICS_ENABLED: 'false' });
    try {
      await request(app.adminServer).get('/metrics').expect(404);
    } finally {
      await app.close();
    }
  });
});
