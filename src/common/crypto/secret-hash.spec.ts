import { constantTimeEqual, generateSecret, hashSecret, verifySecret } from './secret-hash.js';

describe('secret hashing', () => {
  it('R-CAUTH-12: generated secrets carry 256 bits and differ every time', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toEqual(b);
  });

  it('R-CAUTH-12: stores only a SHA-256 hash and verifies against it', () => {
    const secret = generateSecret();
    const stored = hashSecret(secret);
    expect(stored).not.toContain(secret);
    expect(verifySecret(secret, stored)).toBe(true);
    expect(verifySecret(secret + 'x', stored)).toBe(false);
    expect(verifySecret(secret, null)).toBe(false);
  });

  it('R-SEC-8: constant-time comparison handles different lengths', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('abc\u0000', 'abc')).toBe(false);
  });
});
