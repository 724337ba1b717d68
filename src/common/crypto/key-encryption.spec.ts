import { KeyEncryption } from './key-encryption.js';

describe('KeyEncryption (R-SEC-9: signing keys encrypted at rest)', () => {
  const plaintext = Buffer.from('-----BEGIN PRIVATE KEY-----secret');

  it('round-trips and never contains the plaintext', () => {
    const enc = new KeyEncryption('a'.repeat(32));
    const sealed = enc.encrypt(plaintext, 'kid-1');
    expect(sealed).not.toContain('PRIVATE');
    expect(enc.decrypt(sealed, 'kid-1').equals(plaintext)).toBe(true);
  });

  it('uses a fresh IV for every encryption', () => {
    const enc = new KeyEncryption('a'.repeat(32));
    expect(enc.encrypt(plaintext, 'k')).not.toBe(enc.encrypt(plaintext, 'k'));
  });

  it('refuses another secret, another row (AAD) or a tampered ciphertext', () => {
    const sealed = new KeyEncryption('a'.repeat(32)).encrypt(plaintext, 'kid-1');
    expect(() => new KeyEncryption('b'.repeat(32)).decrypt(sealed, 'kid-1')).toThrow();
    expect(() => new KeyEncryption('a'.repeat(32)).decrypt(sealed, 'kid-2')).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => new KeyEncryption('a'.repeat(32)).decrypt(parts.join('.'), 'kid-1')).toThrow();
    expect(() => new KeyEncryption('a'.repeat(32)).decrypt('garbage', 'kid-1')).toThrow();
  });
});
