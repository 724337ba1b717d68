import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * High-entropy generated secrets (client secrets, tokens, codes) are hashed with SHA-256:
 * they cannot be guessed, so a slow password hash would only cost CPU on the hot path.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** A new CSPRNG secret: 32 bytes (256 bits), base64url, 43 characters. */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Constant-time equality of two strings (length leaks only through the padded compare). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  const length = Math.max(left.length, right.length, 1);
  const l = Buffer.alloc(length);
  const r = Buffer.alloc(length);
  left.copy(l);
  right.copy(r);
  return timingSafeEqual(l, r) && left.length === right.length;
}

/** Checks a presented secret against a stored SHA-256 hash in constant time. */
export function verifySecret(presented: string, storedHash: string | null | undefined): boolean {
  if (!storedHash) {
    return false;
  }
  // Digest bytes against the stored digest's bytes: both are 32 bytes, so no padding copies.
  const expected = Buffer.from(storedHash, 'base64url');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}
