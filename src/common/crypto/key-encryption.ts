import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Used only when KEY_ENCRYPTION_SECRET is unset (main.ts warns loudly). */
export const DEV_KEY_ENCRYPTION_SECRET = 'tessera-insecure-development-key-encryption-secret';

const VERSION = 'v1';

/**
 * Encrypts secrets at rest (signing keys' private parts) with AES-256-GCM under a key derived
 * from KEY_ENCRYPTION_SECRET with HKDF-SHA256. The associated data (e.g. the kid) binds a
 * ciphertext to its row, so a ciphertext copied onto another row does not decrypt.
 */
export class KeyEncryption {
  private readonly key: Buffer;

  constructor(secret: string | undefined) {
    this.key = Buffer.from(
      hkdfSync('sha256', secret ?? DEV_KEY_ENCRYPTION_SECRET, 'tessera', 'signing-keys/aes-256-gcm', 32),
    );
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  encrypt(plaintext: Buffer, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws when the secret is wrong or the ciphertext was altered. */
  decrypt(sealed: string, aad: string): Buffer {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
      throw new Error('unsupported ciphertext format');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  }
}
