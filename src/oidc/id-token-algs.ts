import type { AppConfig } from '../config/app-config.js';
import type { SigningAlg } from '../keys/signing-key.entity.js';

/**
 * Algorithms ID tokens, signed UserInfo and logout tokens can use: SIGNING_ALG (the primary
 * key, ES256 by default) and RS256 (the companion key of every generation; OIDC Core §15.1).
 */
export function idTokenAlgs(config: AppConfig): SigningAlg[] {
  return [...new Set<SigningAlg>([config.env.SIGNING_ALG, 'RS256'])];
}
