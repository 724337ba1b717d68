import { Injectable, Logger } from '@nestjs/common';
import type { ClientEntity } from '../clients/client.entity.js';
import { TemporarilyUnavailable } from '../common/errors/oauth-error.js';
import { AppConfig } from '../config/app-config.js';
import { OutboundFetchError } from '../outbound/outbound-fetch.error.js';
import { ResourceRegistry } from '../resources/registry/resource-registry.js';
import { OutboundFetcher } from '../outbound/outbound-fetcher.js';
import { ClientMetadataDocumentError } from './client-metadata-document.error.js';
import { clientIdUrlProblem, hostMatches, parseHostList } from './client-id-url.js';
import { MetadataDocumentCache } from './metadata-document.cache.js';
import { MetadataDocumentInvalid, clientFromMetadataDocument } from './metadata-document.rules.js';

/** Documents are small: a few kilobytes. Larger is refused (R-MCP-7). */
export const MAX_DOCUMENT_BYTES = 5 * 1024;
/**
 * Distinct documents fetched at once, per instance: anyone can name a client_id URL at
 * /authorize, so outbound work is bounded; beyond it, 503 with Retry-After (never queued).
 */
export const MAX_CONCURRENT_FETCHES = 32;

/**
 * Resolves a URL client_id to a client by fetching its Client ID Metadata Document through
 * the SSRF-safe fetcher (R-MCP-5..7): policy first (CLIENT_ID_METADATA_DOCUMENTS, host
 * allow/deny lists), then the cache, then one fetch per URL at a time (concurrent requests
 * share it). Failures are not cached: the next request tries again.
 */
@Injectable()
export class ClientIdMetadataResolver {
  private readonly logger = new Logger('ClientIdMetadata');
  private readonly cache: MetadataDocumentCache;
  private readonly inFlight = new Map<string, Promise<ClientEntity>>();
  private readonly allow: string[];
  private readonly deny: string[];
  /** Fetches made so far (tests and metrics read it). */
  fetches = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly fetcher: OutboundFetcher,
    private readonly resources: ResourceRegistry,
  ) {
    const env = config.env;
    this.cache = new MetadataDocumentCache({
      minTtlSeconds: env.CLIENT_ID_METADATA_DOCUMENT_MIN_TTL,
      maxTtlSeconds: env.CLIENT_ID_METADATA_DOCUMENT_MAX_TTL,
      maxEntries: env.CLIENT_ID_METADATA_DOCUMENT_CACHE_SIZE,
    });
    this.allow = parseHostList(env.CLIENT_ID_METADATA_DOCUMENT_ALLOW_HOSTS);
    this.deny = parseHostList(env.CLIENT_ID_METADATA_DOCUMENT_DENY_HOSTS);
  }

  get enabled(): boolean {
    return this.config.env.CLIENT_ID_METADATA_DOCUMENTS === 'on';
  }

  /** The client described by the document at `url`; throws ClientMetadataDocumentError. */
  async resolve(url: string): Promise<ClientEntity> {
    if (!this.enabled) {
      throw new ClientMetadataDocumentError('client ID metadata documents are not accepted by this server');
    }
    const problem = clientIdUrlProblem(url);
    if (problem) {
      throw new ClientMetadataDocumentError(problem);
    }
    const host = new URL(url).hostname.toLowerCase();
    if (hostMatches(host, this.deny) || (this.allow.length > 0 && !hostMatches(host, this.allow))) {
      throw new ClientMetadataDocumentError(`client metadata documents from ${host} are not accepted`);
    }
    const cached = this.cache.get(url);
    if (cached) {
      return cached;
    }
    let pending = this.inFlight.get(url);
    if (!pending && this.inFlight.size >= MAX_CONCURRENT_FETCHES) {
      throw new TemporarilyUnavailable('too many client metadata documents are being fetched; retry shortly');
    }
    if (!pending) {
      pending = this.fetchDocument(url).finally(() => this.inFlight.delete(url));
      this.inFlight.set(url, pending);
    }
    return pending;
  }

  private async fetchDocument(url: string): Promise<ClientEntity> {
    const host = new URL(url).host;
    this.fetches++;
    let status: number;
    let headers: Record<string, string>;
    let body: Buffer;
    try {
      ({ status, headers, body } = await this.fetcher.fetch(url, {
        maxBytes: MAX_DOCUMENT_BYTES,
        accept: ['application/json'],
      }));
    } catch (err) {
      if (err instanceof OutboundFetchError) {
        this.logger.warn(`metadata document ${url.slice(0, 255)} not fetched: ${err.code}`);
        throw new ClientMetadataDocumentError(
          `the client metadata document at ${host} could not be fetched: ${err.message}`,
          err.code,
        );
      }
      throw err;
    }
    if (status !== 200) {
      throw new ClientMetadataDocumentError(
        `the client metadata document at ${host} could not be fetched: it answered HTTP ${status}`,
      );
    }
    try {
      // Known scopes: SCOPES and the registered resources' scopes (resource registry).
      const known = (await this.resources.catalog()).scopeNames();
      const client = clientFromMetadataDocument(url, body, known);
      this.cache.set(url, client, headers);
      return client;
    } catch (err) {
      if (err instanceof MetadataDocumentInvalid) {
        throw new ClientMetadataDocumentError(
          `the client metadata document at ${host} is invalid: ${err.message}`,
        );
      }
      throw err;
    }
  }
}
