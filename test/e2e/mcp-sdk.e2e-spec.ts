import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { createOwner, type TestOwner } from '../support/authorize-flow.js';
import { adminRequest } from '../support/admin-request.js';
import type { TestApp } from '../support/create-test-app.js';
import { createListeningTestApp } from '../support/listening-app.js';
import {
  BrowserOAuthProvider,
  startCallbackServer,
  type CallbackServer,
} from '../support/mcp-browser-client.js';
import { startMcpServer, type TestMcpServer } from '../support/mcp-server.js';
import {
  selfSignedCert,
  startHttpsServer,
  type SelfSignedCert,
  type TestHttpsServer,
} from '../support/self-signed-https.js';

/**
 * The MCP authorization profile end to end with the official SDK, unmodified
 * (@modelcontextprotocol/sdk): an MCP server (Streamable HTTP, express) protected by Tessera,
 * and an MCP client using the SDK's auth() / OAuthClientProvider flow, with the owner signing
 * in and consenting in headless Chromium. Runs in whichever storage mode the environment
 * selects (SQLite + in-process store, or PostgreSQL + Redis).
 */
describe('MCP SDK end to end (R-MCP-1..17)', () => {
  let app: TestApp;
  let issuer: string;
  let mcp: TestMcpServer;
  let browser: Browser;
  let owner: TestOwner;
  let cert: SelfSignedCert;
  let docs: TestHttpsServer;
  let docFetches = 0;
  let callback: CallbackServer;
  const metadata: OAuthClientMetadata = {
    client_name: 'SDK Test Host',
    redirect_uris: [],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };

  beforeAll(async () => {
    callback = await startCallbackServer();
    metadata.redirect_uris = [callback.url];
    cert = selfSignedCert();
    docs = await startHttpsServer(cert, (req, res) => {
      docFetches++;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=300' });
      res.end(JSON.stringify({ ...metadata, client_id: `${docs.origin}${req.url ?? ''}` }));
    });
    ({ app, issuer } = await createListeningTestApp({
      REGISTRATION_POLICY: 'open',
      OUTBOUND_ALLOW_PRIVATE: 'true',
      OUTBOUND_CA_FILE: cert.certFile,
    }));
    owner = await createOwner(app);
    mcp = await startMcpServer(issuer);
    await allowResource(app, mcp.url);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await mcp?.close();
    await app?.close();
    await docs?.close();
    await callback?.close();
    cert?.remove();
  });

  /** Connects an SDK client; on 401 the SDK runs discovery, registration and authorization. */
  async function connect(provider: BrowserOAuthProvider): Promise<Client> {
    const first = new Client({ name: 'sdk-test-host', version: '1.0.0' });
    try {
      await first.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider }));
      return first;
    } catch (err) {
      if (!(err instanceof UnauthorizedError)) {
        throw err;
      }
    }
    const transport = new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider });
    await transport.finishAuth(provider.code as string);
    const client = new Client({ name: 'sdk-test-host', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider }));
    return client;
  }

  const text = (result: unknown): string =>
    ((result as { content: Array<{ text: string }> }).content[0] as { text: string }).text;

  async function fullRun(provider: BrowserOAuthProvider, expectedClientId: () => string): Promise<void> {
    const client = await connect(provider);
    // Discovery from the 401, metadata, registration or metadata document, PKCE, consent, token with resource.
    expect(provider.consentPages).toHaveLength(1);
    expect(provider.consentPages[0]).toContain('mcp:tools');
    const claims = JSON.parse(
      Buffer.from((provider.saved?.access_token ?? '').split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims.aud).toBe(mcp.url); // R-MCP-4: audience-bound to the MCP server
    expect(claims.client_id).toBe(expectedClientId());
    expect(text(await client.callTool({ name: 'echo' }))).toBe(`hello ${expectedClientId()}`);

    // Refresh (R-MCP-11: rotated for a public client).
    const before = provider.saved?.refresh_token;
    provider.saved = { ...provider.saved!, access_token: 'expired-or-revoked' };
    const again = await connect(provider);
    expect(provider.saved?.refresh_token).toBeDefined();
    expect(provider.saved?.refresh_token).not.toBe(before);
    expect(text(await again.callTool({ name: 'echo' }))).toContain('hello');

    // Step-up (R-MCP-16): purge needs mcp:admin; the server answers 403 insufficient_scope.
    const refusal = await again.callTool({ name: 'purge' }).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(refusal?.message).toContain('403');
    // SDK 1.32.2 answers the challenge with a refresh (which cannot widen a grant), then gives
    // up; the host re-runs the SDK's auth() with the challenged scope after dropping tokens.
    provider.invalidateCredentials('tokens');
    const challenged = 'mcp:tools mcp:admin';
    expect(await auth(provider, { serverUrl: mcp.url, scope: challenged })).toBe('REDIRECT');
    expect(provider.consentPages).toHaveLength(2);
    expect(provider.consentPages[1]).toContain('<code>mcp:admin</code>');
    expect(provider.consentPages[1]).not.toContain('<code>mcp:tools</code>');
    expect(await auth(provider, { serverUrl: mcp.url, authorizationCode: provider.code })).toBe('AUTHORIZED');
    const stepped = new Client({ name: 'sdk-test-host', version: '1.0.0' });
    await stepped.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider }));
    expect(text(await stepped.callTool({ name: 'purge' }))).toBe('purged');
    expect(provider.saved?.scope?.split(' ').sort()).toEqual(['mcp:admin', 'mcp:tools']);
  }

  it('R-MCP-5, R-MCP-6, R-MCP-7, R-MCP-16: Client ID Metadata Document client — sign-in, tool call, refresh, step-up', async () => {
    const url = `${docs.origin}/sdk-host.json`;
    const provider = new BrowserOAuthProvider(browser, owner, callback, metadata, url);
    await fullRun(provider, () => url);
    expect(provider.client?.client_id).toBe(url);
    expect(provider.consentPages[0]).toContain(new URL(url).host);
    expect(provider.consentPages[0]).toContain('runs on your own device'); // R-MCP-8
    expect(docFetches).toBe(1); // max-age=300: every later use came from the cache
  }, 120_000);

  it('R-MCP-9, R-MCP-16: dynamically registered client (no metadata document URL) — the same flow', async () => {
    const provider = new BrowserOAuthProvider(browser, await createOwner(app), callback, metadata);
    await fullRun(provider, () => provider.client?.client_id as string);
    expect(provider.client?.client_id).not.toContain('https://');
  }, 120_000);
});

/**
 * The MCP server's resource entry, as docs/mcp.md's preset creates it: its URL as identifier,
 * its tool scopes, and client policy `any` (metadata-document and registered clients alike).
 */
async function allowResource(app: TestApp, resource: string): Promise<void> {
  const res = await adminRequest(app).post('/admin/resources', {
    identifier: resource,
    name: 'Test MCP server',
    client_policy: 'any',
    scopes: [
      { name: 'mcp:tools', description: 'Use the tools of the MCP server' },
      { name: 'mcp:admin', description: 'Run administrative MCP tools' },
    ],
  });
  expect(res.status).toBe(201);
}
