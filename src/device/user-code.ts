import { randomInt } from 'node:crypto';

/**
 * RFC 8628 §6.1: twenty upper-case consonants (no vowels, so no words; no look-alikes such as
 * 0/O or 1/I), eight characters shown as XXXX-XXXX: 20^8 ≈ 2.56 × 10^10 codes (34.6 bits).
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;
export const USER_CODE_SPACE = USER_CODE_ALPHABET.length ** USER_CODE_LENGTH;

/** A fresh user code from the CSPRNG, canonical form (8 characters, no dash). */
export function generateUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) {
    code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  }
  return code;
}

/** XXXX-XXXX, as shown to the owner and returned as user_code. */
export function formatUserCode(canonical: string): string {
  return `${canonical.slice(0, 4)}-${canonical.slice(4)}`;
}

/**
 * What the owner typed → the canonical code, or null when it cannot be one. Case-insensitive;
 * dashes and white space are ignored (§6.1: "BDWP-HQPK", "bdwphqpk" and "bdwp hqpk" match).
 */
export function normalizeUserCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 64) {
    return null;
  }
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== USER_CODE_LENGTH) {
    return null;
  }
  for (const ch of code) {
    if (!USER_CODE_ALPHABET.includes(ch)) {
      return null;
    }
  }
  return code;
}
