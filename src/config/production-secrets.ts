import { DEV_KEY_ENCRYPTION_SECRET } from '../common/crypto/key-encryption.js';
import { DEV_COOKIE_SECRET } from '../sessions/cookie-secret.js';
import type { EnvSchema } from './env.schema.js';

const MIN_BYTES = 32;

/**
 * Issue 16 M3, fail closed: with an https issuer or NODE_ENV=production, KEY_ENCRYPTION_SECRET
 * and COOKIE_SECRET must each be set, differ from the published development defaults and be at
 * least 32 bytes. Returns the one-line reason naming the variable, or null when all is well.
 * Development on http keeps working without them (with loud warnings).
 */
export function productionSecretProblem(
  env: EnvSchema,
  issuer: string,
  nodeEnv: string | undefined,
): string | null {
  const production = issuer.startsWith('https://') || nodeEnv === 'production';
  if (!production) {
    return null;
  }
  const why = issuer.startsWith('https://') ? 'the issuer is https' : 'NODE_ENV=production';
  const secrets: [name: string, value: string | undefined, devDefault: string][] = [
    ['KEY_ENCRYPTION_SECRET', env.KEY_ENCRYPTION_SECRET, DEV_KEY_ENCRYPTION_SECRET],
    ['COOKIE_SECRET', env.COOKIE_SECRET, DEV_COOKIE_SECRET],
  ];
  for (const [name, value, devDefault] of secrets) {
    if (!value) {
      return `${name} is unset but required because ${why}: set it to a random secret of at least ${MIN_BYTES} bytes`;
    }
    if (value === devDefault) {
      return `${name} is the published development default but ${why}: set a random secret of at least ${MIN_BYTES} bytes`;
    }
    if (Buffer.byteLength(value, 'utf8') < MIN_BYTES) {
      return `${name} is shorter than ${MIN_BYTES} bytes but ${why}`;
    }
  }
  return null;
}
