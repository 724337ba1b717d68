import { createHmac } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';

export const DEV_COOKIE_SECRET = 'tessera-insecure-development-cookie-secret';
/** Configs already warned about, so the cookie plugin and the CSRF service warn once between them. */
const warned = new WeakSet<AppConfig>();

/**
 * The key that signs session cookies and CSRF tokens: COOKIE_SECRET, else an HMAC of
 * KEY_ENCRYPTION_SECRET (a separate key per purpose), else an insecure development default.
 */
export function cookieSecret(config: AppConfig): string {
  if (config.env.COOKIE_SECRET) {
    return config.env.COOKIE_SECRET;
  }
  if (config.env.KEY_ENCRYPTION_SECRET) {
    return createHmac('sha256', config.env.KEY_ENCRYPTION_SECRET)
      .update('tessera cookie secret')
      .digest('base64url');
  }
  if (!warned.has(config)) {
    warned.add(config);
    new Logger('Sessions').warn(
      '!!! COOKIE_SECRET and KEY_ENCRYPTION_SECRET are unset: session cookies are signed with an INSECURE development default. !!!',
    );
  }
  return DEV_COOKIE_SECRET;
}
