import { createHash } from 'node:crypto';
import { BoundedCache } from './bounded-cache.js';
import { DpopNonces } from './dpop-nonce.js';
import { DPOP_IAT_WINDOW_SECONDS, DpopProofError, headerValues, verifyDpopProof } from './dpop-proof.js';
import type { DpopReplayStore, ResolvedResourceServerOptions } from './resource-server.options.js';
import { ResourceServerError } from './resource-server.error.js';
import type { BearerRequestLike } from './token-extractor.js';

/** One process's memory: enough for a single instance (bounded, entries expire). */
class MemoryReplayStore implements DpopReplayStore {
  private readonly seen = new BoundedCache<true>(100_000);

  remember(key: string, ttlSeconds: number): Promise<boolean> {
    if (this.seen.get(key)) {
      return Promise.resolve(false);
    }
    this.seen.set(key, true, Date.now() + ttlSeconds * 1000);
    return Promise.resolve(true);
  }
}

/**
 * RFC 9449 §7.1 at a resource server: the proof of a request presenting a DPoP-bound token —
 * §4.3 checks with `ath` (R-DPOP-3, R-DPOP-11), the key matching the token's `cnf.jkt`, the
 * nonce when configured (R-DPOP-9) and single use per resource server (R-DPOP-4).
 */
export class DpopRequestVerifier {
  private readonly replay: DpopReplayStore;
  private readonly nonces?: DpopNonces;

  constructor(
    private readonly options: NonNullable<ResolvedResourceServerOptions['dpop']>,
    private readonly audience: string,
  ) {
    this.replay = options.replayStore ?? new MemoryReplayStore();
    if (options.nonce) {
      this.nonces = new DpopNonces(options.nonce.secret, options.nonce.periodSeconds ?? 300);
    }
  }

  get algorithms(): string[] {
    return this.options.algorithms;
  }

  async verify(req: BearerRequestLike, token: string, jkt: string): Promise<void> {
    const raw = req.raw?.rawHeaders ?? req.rawHeaders;
    const headers = headerValues(raw, 'dpop', req.headers.dpop);
    const path = req.originalUrl ?? req.url ?? '/';
    let proof;
    try {
      proof = await verifyDpopProof({
        headers,
        method: (req.method ?? 'GET').toUpperCase(),
        url: new URL(path, this.options.origin).href,
        accessToken: token,
        algorithms: this.options.algorithms,
      });
    } catch (err) {
      if (err instanceof DpopProofError) {
        throw ResourceServerError.invalidDpopProof(err.description);
      }
      throw err;
    }
    if (proof.jkt !== jkt) {
      throw ResourceServerError.invalidDpopProof(
        'the DPoP proof is signed by another key than the token is bound to',
      );
    }
    if (this.nonces) {
      const missing = proof.nonce === undefined && this.options.nonce?.required === true;
      if (missing || (proof.nonce !== undefined && !this.nonces.isValid(proof.nonce))) {
        throw ResourceServerError.useDpopNonce(this.nonces.current());
      }
    }
    const key = createHash('sha256')
      .update(`${this.audience}\n${proof.jkt}\n${proof.jti}`)
      .digest('base64url');
    if (!(await this.replay.remember(`dpop-jti:${key}`, 2 * DPOP_IAT_WINDOW_SECONDS + 5))) {
      throw ResourceServerError.invalidDpopProof('the DPoP proof was already used');
    }
  }

  /** The nonce to hand out in DPoP-Nonce, when nonces are configured. */
  currentNonce(): string | undefined {
    return this.nonces?.current();
  }
}
