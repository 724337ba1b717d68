import * as argon2 from 'argon2';

/** Human passwords: argon2id with the library's OWASP-aligned defaults. */
export const passwordHasher = {
  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  },
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  },
};
