import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

/**
 * An OAuthClientProvider as an MCP host application writes one, kept in memory, whose
 * `redirectToAuthorization` opens the authorization URL in headless Chromium, signs the owner
 * in and allows the consent page, then catches the redirect to the loopback callback. The
 * @modelcontextprotocol/sdk code it is handed to is unmodified.
 */
export class BrowserOAuthProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = '';
  /** The last authorization code that reached the callback. */
  code?: string;
  /** Text of every consent page shown, in order. */
  consentPages: string[] = [];
  /** Hook called after dynamic registration (e.g. an admin allowance before the registry). */
  onRegistered?: (clientId: string) => Promise<void>;
  private context?: BrowserContext;

  constructor(
    private readonly browser: Browser,
    private readonly owner: { username: string; password: string },
    private readonly callback: CallbackServer,
    readonly clientMetadata: OAuthClientMetadata,
    readonly clientMetadataUrl?: string,
  ) {}

  get redirectUrl(): string {
    return this.callback.url;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client;
  }
  async saveClientInformation(info: OAuthClientInformationMixed): Promise<void> {
    this.client = info;
    if (info.client_id !== this.clientMetadataUrl) {
      await this.onRegistered?.(info.client_id);
    }
  }
  tokens(): OAuthTokens | undefined {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }
  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }
  codeVerifier(): string {
    return this.verifier;
  }
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'tokens') {
      this.saved = undefined;
    }
    if (scope === 'all' || scope === 'client') {
      this.client = undefined;
    }
  }

  private async clickAndWait(page: Page, selector: string): Promise<void> {
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before, { timeout: 15_000 }), page.click(selector)]);
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.context ??= await this.browser.newContext();
    const page: Page = await this.context.newPage();
    this.code = undefined;
    this.callback.last = undefined;
    await page.goto(url.href);
    for (let i = 0; i < 4 && !this.callback.last; i++) {
      if ((await page.locator('input[name="password"]').count()) > 0) {
        await page.fill('input[name="username"]', this.owner.username);
        await page.fill('input[name="password"]', this.owner.password);
        await this.clickAndWait(page, 'button[type="submit"]');
      } else if ((await page.locator('button[value="allow"]').count()) > 0) {
        this.consentPages.push(await page.content());
        await this.clickAndWait(page, 'button[value="allow"]');
      } else {
        await page.waitForLoadState('load');
      }
    }
    await page.close();
    const callback = this.callback.last as URL | undefined;
    const code = callback?.searchParams.get('code');
    if (!code) {
      throw new Error(`no authorization code: ${callback?.search ?? 'the callback was not reached'}`);
    }
    this.code = code;
  }
}

/** The host application's loopback callback (http://localhost:<port>/callback). */
export interface CallbackServer {
  url: string;
  /** The last request that reached it. */
  last?: URL;
  close(): Promise<void>;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const state: { last?: URL } = {};
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/callback') {
      state.last = url; // not /favicon.ico
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('You can close this window.');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/callback`,
    get last() {
      return state.last;
    },
    set last(value: URL | undefined) {
      state.last = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
