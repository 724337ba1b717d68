import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { constantTimeEqual } from '../common/crypto/secret-hash.js';
import { AppConfig } from '../config/app-config.js';
import { cookieSecret } from './cookie-secret.js';

export type CsrfPurpose = 'login' | 'consent' | 'account' | 'logout' | 'device';

/**
 * Anti-CSRF tokens for the AS's own forms (R-SEC-4): an HMAC of the purpose and what the form
 * is bound to (the pending request and this browser's binding cookie, or the owner session).
 * Nothing to store; a token taken from another browser or flow does not verify.
 */
@Injectable()
export class CsrfService {
  private readonly key: string;

  constructor(config: AppConfig) {
    this.key = cookieSecret(config);
  }

  token(purpose: CsrfPurpose, binding: string): string {
    return createHmac('sha256', this.key).update(`csrf\n${purpose}\n${binding}`).digest('base64url');
  }

  verify(purpose: CsrfPurpose, binding: string, presented: unknown): boolean {
    return typeof presented === 'string' && constantTimeEqual(presented, this.token(purpose, binding));
  }
}
