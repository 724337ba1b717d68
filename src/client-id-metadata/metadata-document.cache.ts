import type { ClientEntity } from '../clients/client.entity.js';

/** Bounds applied to whatever the document's HTTP caching headers say. */
export interface CacheBounds {
  minTtlSeconds: number;
  maxTtlSeconds: number;
  maxEntries: number;
}

/**
 * Seconds a response may be reused (RFC 9111 §4.2.1, as a private cache): `max-age`, else
 * `Expires` minus `Date`; `no-store`, `no-cache` or nothing usable → 0. The caller clamps the
 * result into [min, max]: a minimum keeps every token request from refetching a document.
 */
export function freshnessSeconds(headers: Record<string, string>, now = Date.now()): number {
  const cc = (headers['cache-control'] ?? '').toLowerCase();
  if (/(^|,)\s*(no-store|no-cache)\b/.test(cc)) {
    return 0;
  }
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/.exec(cc);
  if (maxAge) {
    return Number(maxAge[1]);
  }
  const expires = Date.parse(headers.expires ?? '');
  if (Number.isFinite(expires)) {
    const date = Date.parse(headers.date ?? '');
    return Math.max(0, Math.floor((expires - (Number.isFinite(date) ? date : now)) / 1000));
  }
  return 0;
}

interface Entry {
  client: ClientEntity;
  expiresAt: number;
}

/** Resolved documents by URL: least recently used dropped first, at most `maxEntries`. */
export class MetadataDocumentCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly bounds: CacheBounds) {}

  get(url: string, now = Date.now()): ClientEntity | undefined {
    const entry = this.entries.get(url);
    if (!entry) {
      return undefined;
    }
    this.entries.delete(url);
    if (entry.expiresAt <= now) {
      return undefined;
    }
    this.entries.set(url, entry); // most recently used goes last
    return entry.client;
  }

  set(url: string, client: ClientEntity, headers: Record<string, string>, now = Date.now()): void {
    const ttl = Math.min(
      this.bounds.maxTtlSeconds,
      Math.max(this.bounds.minTtlSeconds, freshnessSeconds(headers, now)),
    );
    if (ttl <= 0) {
      return;
    }
    this.entries.delete(url);
    while (this.entries.size >= this.bounds.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    this.entries.set(url, { client, expiresAt: now + ttl * 1000 });
  }

  get size(): number {
    return this.entries.size;
  }
}
