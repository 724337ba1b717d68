import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { cookieSecret } from '../sessions/cookie-secret.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../store/short-lived-store.js';
import { InvalidDpopProof, UseDpopNonce } from './dpop-errors.js';
import { DpopNonces } from './dpop-nonce.js';
import {
  DPOP_IAT_WINDOW_SECONDS,
  DpopProofError,
  headerValues,
  verifyDpopProof,
  type DpopProof,
} from './dpop-proof.js';

/** A proof's jti is remembered for the whole window in which its iat is acceptable. */
const REPLAY_TTL_SECONDS = 2 * DPOP_IAT_WINDOW_SECONDS + 5;

/**
 * DPoP proofs at this server's own endpoints (token, PAR): RFC 9449 §4.3 checks, the nonce
 * (§8, stateless) and single use of each proof through the short-lived store — setIfAbsent is
 * atomic in Redis, so of two instances receiving one proof only one accepts it (R-DPOP-4).
 */
@Injectable()
export class DpopVerifier {
  private readonly nonces: DpopNonces;

  constructor(
    private readonly config: AppConfig,
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
  ) {
    this.nonces = new DpopNonces(cookieSecret(config), config.env.DPOP_NONCE_PERIOD);
  }

  /** The nonce to send in DPoP-Nonce now. */
  nonce(): string {
    return this.nonces.current();
  }

  /** The request's proof for `${issuer}${path}`, or undefined when it sent no DPoP header. */
  async verify(request: FastifyRequest, path: string): Promise<DpopProof | undefined> {
    const headers = headerValues(request.raw.rawHeaders, 'dpop', request.headers.dpop);
    if (headers.length === 0) {
      return undefined;
    }
    let proof: DpopProof;
    try {
      proof = await verifyDpopProof({ headers, method: request.method, url: `${this.config.issuer}${path}` });
    } catch (err) {
      if (err instanceof DpopProofError) {
        throw new InvalidDpopProof(err.description);
      }
      throw err;
    }
    if (proof.nonce === undefined ? this.config.env.DPOP_NONCE_REQUIRED : !this.nonces.isValid(proof.nonce)) {
      throw new UseDpopNonce(this.nonces.current());
    }
    const key = `dpop-jti:${createHash('sha256').update(`${proof.jkt}:${proof.jti}`).digest('base64url')}`;
    if (!(await this.store.setIfAbsent(key, '1', REPLAY_TTL_SECONDS))) {
      throw new InvalidDpopProof('the DPoP proof was already used');
    }
    return proof;
  }
}
