import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../../common/crypto/secret-hash.js';

/** RFC 7636 §4.6: BASE64URL(SHA-256(ASCII(verifier))) compared in constant time (R-PKCE-8, R-SEC-8). */
export function s256Matches(verifier: string, challenge: string): boolean {
  const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  return constantTimeEqual(computed, challenge);
}
