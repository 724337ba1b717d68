import { Logger } from '@nestjs/common';
import { ResourceServerError } from './resource-server.error.js';
import type { FetchLike } from './resource-server.options.js';

export interface AuthorizationServerMetadata {
  issuer: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
}

/** RFC 8414 §3: the well-known segment goes between the host and the issuer's path. */
export function metadataUrlFor(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/oauth-authorization-server${path}`;
}

/**
 * Discovers the authorization server's metadata on first use (lazily, so an app that serves
 * its own issuer does not deadlock at start), keeps it, and retries a failed discovery at most
 * once every few seconds so an outage does not turn into a request flood.
 */
export class AuthorizationServerMetadataClient {
  private readonly logger = new Logger('ResourceServer');
  private metadata?: AuthorizationServerMetadata;
  private pending?: Promise<AuthorizationServerMetadata>;
  private failedAt = 0;

  constructor(
    private readonly issuer: string,
    private readonly fetchFn: FetchLike,
    private readonly timeoutMs: number,
    private readonly retryAfterMs = 5000,
  ) {}

  async get(): Promise<AuthorizationServerMetadata> {
    if (this.metadata) {
      return this.metadata;
    }
    if (Date.now() - this.failedAt < this.retryAfterMs) {
      throw ResourceServerError.unavailable();
    }
    this.pending ??= this.discover().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async discover(): Promise<AuthorizationServerMetadata> {
    const url = metadataUrlFor(this.issuer);
    try {
      const res = await this.fetchFn(url, {
        headers: { accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (res.status !== 200) {
        throw new Error(`HTTP ${res.status}`);
      }
      const body = (await res.json()) as Partial<AuthorizationServerMetadata>;
      // RFC 8414 §3.3: the issuer in the document must be identical to the one configured.
      if (body.issuer !== this.issuer) {
        throw new Error(`metadata issuer ${String(body.issuer)} differs from ${this.issuer}`);
      }
      this.metadata = body as AuthorizationServerMetadata;
      return this.metadata;
    } catch (err) {
      this.failedAt = Date.now();
      this.logger.warn(`metadata discovery at ${url} failed: ${(err as Error).message}`);
      throw ResourceServerError.unavailable();
    }
  }
}
