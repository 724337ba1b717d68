import { Injectable } from '@nestjs/common';
import { decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { OwnersService } from '../owners/owners.service.js';
import type { OwnerEntity } from '../owners/owner.entity.js';
import { TokenExchangePolicies } from './token-exchange-policies.service.js';
import { TrustedIssuerKeys } from './trusted-issuer-keys.js';
import type { TrustedIssuerEntity } from './trusted-issuer.entity.js';

/** Asymmetric algorithms only: a shared secret would let the issuer's other relying parties forge. */
export const TRUSTED_JWT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

export interface VerifiedTrustedJwt {
  issuer: TrustedIssuerEntity;
  payload: JWTPayload;
}

/**
 * JWTs from trusted external issuers (token-exchange `jwt` subject/actor tokens, RFC 7523
 * assertions): the issuer must be in the client's policy and configured with keys; signature
 * (allow-listed asymmetric algorithms), `exp` required, optional audience check. Null when any
 * check fails; the caller picks the error code.
 */
@Injectable()
export class TrustedJwtVerifier {
  constructor(
    private readonly policies: TokenExchangePolicies,
    private readonly owners: OwnersService,
    private readonly keys: TrustedIssuerKeys,
  ) {}

  async verify(
    token: string,
    allowedIssuers: readonly string[],
    options: { audience?: string[]; maxLifetimeSeconds?: number } = {},
  ): Promise<{ result: VerifiedTrustedJwt | null; reason: string }> {
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      return { result: null, reason: 'not a JWT' };
    }
    const issuer = await this.policies.trustedIssuer(iss, allowedIssuers);
    const keys = issuer ? this.keys.for(issuer) : null;
    if (!issuer || !keys) {
      return { result: null, reason: 'issuer is not trusted for this client' };
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: issuer.issuer,
        algorithms: TRUSTED_JWT_ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        ...(options.audience ? { audience: options.audience } : {}),
        ...(options.maxLifetimeSeconds ? { maxTokenAge: options.maxLifetimeSeconds } : {}),
        clockTolerance: 30,
      });
      return { result: { issuer, payload }, reason: '' };
    } catch (err) {
      return { result: null, reason: err instanceof Error ? err.message : 'verification failed' };
    }
  }

  /**
   * The owner the JWT names through the issuer's subject claim: `sub` → owner id;
   * `email` / `preferred_username` (or any other claim) → username. Null when unmapped.
   */
  async owner(verified: VerifiedTrustedJwt): Promise<OwnerEntity | null> {
    const claim = verified.issuer.subjectClaim;
    const value = verified.payload[claim];
    if (typeof value !== 'string' || value.length === 0 || value.length > 320) {
      return null;
    }
    const owner = claim === 'sub' ? await this.owners.find(value) : await this.owners.findByUsername(value);
    return owner && !owner.disabled ? owner : null;
  }
}
