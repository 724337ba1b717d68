import { Inject, Injectable } from '@nestjs/common';
import { generateSecret, hashSecret } from '../../common/crypto/secret-hash.js';
import { AppConfig } from '../../config/app-config.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';
import type { RawParams } from '../authorize/authorize-context.js';

export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';
const REF = /^[A-Za-z0-9_-]{43}$/;
const key = (ref: string): string => `par:${hashSecret(ref)}`;

/** A validated pushed authorization request (RFC 9126 §2.2). */
export interface PushedRequest {
  clientId: string;
  params: RawParams;
}

/**
 * Pushed requests under `urn:ietf:params:oauth:request_uri:<256-bit ref>` (R-PAR-5), stored by
 * the ref's hash for PAR_REQUEST_TTL seconds. /authorize loads one (`open`), which keeps it for
 * the owner's sign-in; the code is issued only by whoever `consume`s it first, so a request_uri
 * yields at most one code however often it is presented (R-PAR-8).
 */
@Injectable()
export class PushedRequestStore {
  constructor(
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
  ) {}

  get ttl(): number {
    return this.config.env.PAR_REQUEST_TTL;
  }

  async push(request: PushedRequest): Promise<string> {
    const ref = generateSecret(32);
    await this.store.set(key(ref), JSON.stringify(request), this.ttl);
    return `${REQUEST_URI_PREFIX}${ref}`;
  }

  /**
   * The pushed request of a request_uri, or null when unknown, expired or consumed. Its
   * lifetime is extended to the pending-authorization lifetime: it was used in time.
   */
  async open(requestUri: string): Promise<{ request: PushedRequest; handle: string } | null> {
    const ref = requestUri.startsWith(REQUEST_URI_PREFIX) ? requestUri.slice(REQUEST_URI_PREFIX.length) : '';
    if (!REF.test(ref)) {
      return null;
    }
    const raw = await this.store.get(key(ref));
    if (raw === null) {
      return null;
    }
    await this.store.set(key(ref), raw, this.config.env.AUTHORIZATION_REQUEST_TTL);
    return { request: JSON.parse(raw) as PushedRequest, handle: key(ref) };
  }

  /** Atomically takes the request behind `handle`; false when someone already did. */
  async consume(handle: string): Promise<boolean> {
    return (await this.store.take(handle)) !== null;
  }
}
