import { OAuthError } from '../common/errors/oauth-error.js';

/** RFC 9449 §5 / R-DPOP-5: an invalid, missing (when required) or replayed proof. */
export class InvalidDpopProof extends OAuthError {
  constructor(description: string) {
    super(400, 'invalid_dpop_proof', description);
  }
}

/** RFC 9449 §8 / R-DPOP-9: the proof must carry the nonce sent in DPoP-Nonce. */
export class UseDpopNonce extends OAuthError {
  constructor(nonce: string, description = 'the DPoP proof must carry the server nonce') {
    super(400, 'use_dpop_nonce', description);
    this.withHeader('DPoP-Nonce', nonce);
  }
}
