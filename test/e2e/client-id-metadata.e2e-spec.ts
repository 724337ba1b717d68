import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { AuditEventEntity } from '../../src/audit/audit-event.entity.js';
import { ClientIdMetadataResolver } from '../../src/client-id-metadata/client-id-metadata.resolver.js';
import {
  callbackParams,
  codeRequest,
  createOwner,
  REDIRECT_URI,
  type TestOwner,
} from '../support/authorize-flow.js';
import {
  assertionKey,
  clientAssertion,
  JWT_BEARER,
  type AssertionKey,
} from '../support/client-assertions.js';
import { form } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { expectOAuthError } from '../support/oauth-assertions.js';
import {
  selfSignedCert,
  startHttpsServer,
  type SelfSignedCert,
  type TestHttpsServer,
} from '../support/self-signed-https.js';
import { UserAgent } from '../support/user-agent.js';

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document; R-MCP-5..8):
 * documents served by a real HTTPS server with a self-signed certificate trusted through
 * OUTBOUND_CA_FILE, fetched through the SSRF-safe fetcher.
 */
describe('Client ID Metadata Documents (R-MCP-5..8)', () => {
  let cert: SelfSignedCert;
  let docs: TestHttpsServer;
  let app: TestApp;
  let owner: TestOwner;
  let key: AssertionKey;
  const hits = new Map<string, number>();
  let cacheControl = 'max-age=1';
  const url = (path: string, origin = docs.origin): string => `${origin}${path}`;

  const document = (path: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    client_id: url(path),
    client_name: 'Example MCP Client',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: 'openid profile notes:read',
    ...extra,
  });

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const json = (body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    switch (path) {
      case '/good.json':
      case '/cached.json':
        return json(document(path), { 'Cache-Control': cacheControl });
      case '/typo.json': {
        const wrong = url(path).replace('typo', 'typp');
        return json(document(path, { client_id: wrong }));
      }
      case '/pkjwt.json':
        return json(
          document(path, { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [key.publicJwk] } }),
        );
      case '/secret.json':
        return json(
          document(path, { client_secret: 'shh', token_endpoint_auth_method: 'client_secret_basic' }),
        );
      case '/loopback.json':
        return json(
          document(path, { redirect_uris: ['http://localhost:33418/callback', 'http://127.0.0.1/cb'] }),
        );
      case '/big.json':
        return json(document(path, { client_uri: `https://example.com/${'x'.repeat(8000)}` }));
      case '/html.json':
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return void res.end('<html></html>');
      case '/moved.json':
        res.writeHead(302, { Location: 'https://169.254.169.254/latest/meta-data' });
        return void res.end();
      case '/slow.json':
        return void setTimeout(() => json(document(path)), 3000);
      default:
        if (path.startsWith('/long/')) {
          return json(document(path));
        }
        res.writeHead(404);
        return void res.end();
    }
  };

  beforeAll(async () => {
    key = await assertionKey('ES256');
    cert = selfSignedCert();
    docs = await startHttpsServer(cert, serve);
    app = await createTestApp({
      OUTBOUND_ALLOW_PRIVATE: 'true',
      OUTBOUND_CA_FILE: cert.certFile,
      OUTBOUND_TIMEOUT_MS: '1000',
      CLIENT_ID_METADATA_DOCUMENT_MIN_TTL: '0',
      CLIENT_ID_METADATA_DOCUMENT_DENY_HOSTS: 'localhost',
    });
    owner = await createOwner(app);
  });
  afterAll(async () => {
    await app?.close();
    await docs?.close();
    cert?.remove();
  });

  const authorize = (clientId: string, extra: Record<string, string> = {}) =>
    codeRequest(clientId, { scope: 'openid notes:read', ...extra });

  it('R-MCP-5: metadata advertises client_id_metadata_document_supported', async () => {
    const res = await request(app.publicServer).get('/.well-known/oauth-authorization-server');
    expect(res.body.client_id_metadata_document_supported).toBe(true);
  });

  it('R-MCP-5, R-MCP-8: a document client signs in: the consent page names the document host as the identity, unverified; code, token, refresh and revocation work', async () => {
    const clientId = url('/good.json');
    const ua = new UserAgent(app.publicServer);
    const req = authorize(clientId);
    let page = await ua.follow(await ua.get(req.url));
    page = await ua.follow(await ua.submit(page, { username: owner.username, password: owner.password }));
    expect(page.text).toContain('name="decision"');
    const host = new URL(docs.origin).host;
    expect(page.text).toContain(`<p class="client-identity"><strong>${host}</strong></p>`);
    expect(page.text).toContain('not verified');
    expect(page.text).toContain('Example MCP Client');
    expect(page.text).not.toContain('runs on your own device');
    const done = await ua.follow(await ua.submit(page, { decision: 'allow' }));
    const code = callbackParams(done).get('code') as string;
    expect(code).toBeTruthy();

    const token = await request(app.publicServer)
      .post('/token')
      .type('form')
      .send(
        form({
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT_URI,
          code_verifier: req.pkce.verifier,
          client_id: clientId,
        }),
      );
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('openid notes:read');
    const refreshed = await request(app.publicServer)
      .post('/token')
      .type('form')
      .send(
        form({ grant_type: 'refresh_token', refresh_token: token.body.refresh_token, client_id: clientId }),
      );
    expect(refreshed.status).toBe(200);
    const revoked = await request(app.publicServer)
      .post('/revoke')
      .type('form')
      .send(form({ token: refreshed.body.refresh_token, client_id: clientId }));
    expect(revoked.status).toBe(200);
    const after = await request(app.publicServer)
      .post('/token')
      .type('form')
      .send(
        form({
          grant_type: 'refresh_token',
          refresh_token: refreshed.body.refresh_token,
          client_id: clientId,
        }),
      );
    expectOAuthError(after, 400, 'invalid_grant');
  });

  it('R-MCP-5: a client_id URL of 200 characters is stored with its consent, refresh tokens and audit events (columns widened)', async () => {
    const clientId = url(`/long/${'a'.repeat(200 - url('/long/.json').length)}.json`);
    expect(clientId).toHaveLength(200);
    const ua = new UserAgent(app.publicServer);
    const req = authorize(clientId);
    let page = await ua.follow(await ua.get(req.url));
    page = await ua.follow(await ua.submit(page, { username: owner.username, password: owner.password }));
    const done = await ua.follow(await ua.submit(page, { decision: 'allow' }));
    const token = await request(app.publicServer)
      .post('/token')
      .type('form')
      .send(
        form({
          grant_type: 'authorization_code',
          code: callbackParams(done).get('code') as string,
          redirect_uri: REDIRECT_URI,
          code_verifier: req.pkce.verifier,
          client_id: clientId,
        }),
      );
    expect(token.status).toBe(200);
    expect(token.body.refresh_token).toBeDefined();
    // Revocation is audited with the client as actor: the audit columns hold the URL too.
    const revoked = await request(app.publicServer)
      .post('/revoke')
      .type('form')
      .send(form({ token: token.body.refresh_token as string, client_id: clientId }));
    expect(revoked.status).toBe(200);
    const audited = await app.shared.dataSource.getRepository(AuditEventEntity).findBy({ actorId: clientId });
    expect(audited.length).toBeGreaterThan(0);
    const account = await ua.get('/account');
    expect(account.text).toContain(`${new URL(docs.origin).host} (not verified)`);
  });

  it('R-MCP-5: a private_key_jwt document client (inline jwks) authenticates at the token endpoint; a wrong key is invalid_client', async () => {
    const clientId = url('/pkjwt.json');
    const ua = new UserAgent(app.publicServer);
    const req = authorize(clientId);
    let page = await ua.follow(await ua.get(req.url));
    if (page.text.includes('name="password"')) {
      page = await ua.follow(await ua.submit(page, { username: owner.username, password: owner.password }));
    }
    const done = await ua.follow(await ua.submit(page, { decision: 'allow' }));
    const code = callbackParams(done).get('code') as string;
    const exchange = (assertion: string) =>
      request(app.publicServer)
        .post('/token')
        .type('form')
        .send(
          form({
            grant_type: 'authorization_code',
            code,
            redirect_uri: REDIRECT_URI,
            code_verifier: req.pkce.verifier,
            client_assertion_type: JWT_BEARER,
            client_assertion: assertion,
          }),
        );
    const other = await assertionKey('ES256');
    expectOAuthError(
      await exchange(await clientAssertion(other, clientId, 'http://127.0.0.1:3000')),
      401,
      'invalid_client',
    );
    const ok = await exchange(await clientAssertion(key, clientId, 'http://127.0.0.1:3000'));
    expect(ok.status).toBe(200);
    expect(ok.body.access_token).toBeDefined();
  });

  it('R-MCP-8: every redirect URI on localhost → the consent page warns', async () => {
    const ua = new UserAgent(app.publicServer);
    const req = authorize(url('/loopback.json'), { redirect_uri: 'http://localhost:40111/callback' });
    let page = await ua.follow(await ua.get(req.url));
    page = await ua.follow(await ua.submit(page, { username: owner.username, password: owner.password }));
    expect(page.text).toContain('runs on your own device');
  });

  it('R-MCP-7: cache — a second authorization within max-age makes no fetch; after it, one fetch', async () => {
    cacheControl = 'max-age=2';
    const clientId = url('/cached.json');
    const ua = new UserAgent(app.publicServer);
    expect((await ua.get(authorize(clientId).url)).status).toBe(302);
    expect(hits.get('/cached.json')).toBe(1);
    expect((await ua.get(authorize(clientId).url)).status).toBe(302);
    expect(hits.get('/cached.json')).toBe(1);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await ua.get(authorize(clientId).url)).status).toBe(302);
    expect(hits.get('/cached.json')).toBe(2);
    expect((await ua.get(authorize(clientId).url)).status).toBe(302);
    expect(hits.get('/cached.json')).toBe(2);
  });

  it('R-MCP-7: no-store is honoured down to the configured minimum (0 here): every use fetches', async () => {
    cacheControl = 'no-store';
    const resolver = app.publicApp.get(ClientIdMetadataResolver, { strict: false });
    const before = hits.get('/good.json') ?? 0;
    const ua = new UserAgent(app.publicServer);
    await ua.get(authorize(url('/good.json')).url);
    await ua.get(authorize(url('/good.json')).url);
    expect(hits.get('/good.json')).toBe(before + 2);
    expect(resolver.fetches).toBeGreaterThan(0);
    cacheControl = 'max-age=1';
  });

  const REFUSALS: Array<[string, string, Record<string, string>?]> = [
    ['/typo.json', 'does not equal the URL'],
    ['/good.json', 'redirect_uri is not registered', { redirect_uri: 'https://client.example/other' }],
    ['/secret.json', 'must not contain client_secret'],
    ['/big.json', 'larger than'],
    ['/slow.json', 'within'],
    ['/html.json', 'content type'],
    ['/moved.json', 'redirects are not followed'],
    ['/missing.json', 'HTTP 404'],
  ];

  it.each(REFUSALS)(
    'R-MCP-6, R-MCP-7: %s is refused on a page (no redirect, no 5xx): "%s"',
    async (path, message, extra = {}) => {
      const ua = new UserAgent(app.publicServer);
      const res = await ua.get(authorize(url(path), extra).url);
      expect(res.status).toBe(400);
      expect(res.location).toBeUndefined();
      expect(res.text).toContain(message);
    },
  );

  it('R-MCP-6: at the token endpoint an unusable document is 401 invalid_client, not 5xx', async () => {
    const res = await request(app.publicServer)
      .post('/token')
      .type('form')
      .send(
        form({
          grant_type: 'authorization_code',
          code: 'x',
          code_verifier: 'a'.repeat(43),
          client_id: url('/typo.json'),
        }),
      );
    expectOAuthError(res, 401, 'invalid_client');
  });

  it('R-MCP-8: a denied host is refused without a fetch; malformed client_id URLs are refused', async () => {
    const before = [...hits.values()].reduce((a, b) => a + b, 0);
    const ua = new UserAgent(app.publicServer);
    const denied = await ua.get(authorize(`https://localhost:${docs.port}/good.json`).url);
    expect(denied.status).toBe(400);
    expect(denied.text).toContain('not accepted');
    for (const bad of [`${docs.origin}/`, `${docs.origin}/a/../good.json`, `${docs.origin}/good.json#x`]) {
      const res = await ua.get(authorize(bad).url);
      expect(res.status).toBe(400);
      expect(res.location).toBeUndefined();
    }
    expect([...hits.values()].reduce((a, b) => a + b, 0)).toBe(before);
  });
});

describe('Client ID Metadata Documents: policy (R-MCP-5, R-MCP-7)', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it('R-MCP-5: CLIENT_ID_METADATA_DOCUMENTS=off → not advertised, and URL client_ids are refused', async () => {
    app = await createTestApp({ CLIENT_ID_METADATA_DOCUMENTS: 'off' });
    const meta = await request(app.publicServer).get('/.well-known/oauth-authorization-server');
    expect(meta.body.client_id_metadata_document_supported).toBeUndefined();
    const res = await new UserAgent(app.publicServer).get(
      codeRequest('https://client.example/metadata.json').url,
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('not accepted by this server');
  });

  it('R-MCP-7: without the development override a document on a loopback address is never fetched', async () => {
    app = await createTestApp({});
    const res = await new UserAgent(app.publicServer).get(codeRequest('https://127.0.0.1:9/client.json').url);
    expect(res.status).toBe(400);
    expect(res.location).toBeUndefined();
    expect(res.text).toContain('could not be fetched');
  });
});
