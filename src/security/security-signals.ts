import { Injectable, Logger } from '@nestjs/common';

/** A burst of failures worth alerting on (one per key per window, never per failure). */
export interface SecurityBurst {
  /** What failed, e.g. `client_auth` (client-secret checks) or `owner_login`. */
  kind: 'client_auth' | 'owner_login';
  /** Who was targeted (a client id; never a secret). */
  subject: string;
  /** The source address the failures came from. */
  sourceAddress: string;
  /** Failures counted in the window when the burst was signalled. */
  failures: number;
  windowSeconds: number;
}

/**
 * The alertable signal for failure bursts: a structured warn log line (`security_burst`) once
 * per burst window, a per-kind counter, and listeners a metrics module can attach to
 * (`onBurst`) to export a counter. Nothing secret is passed or logged.
 */
@Injectable()
export class SecuritySignals {
  private readonly logger = new Logger('Security');
  private readonly listeners: ((burst: SecurityBurst) => void)[] = [];
  private readonly counts = new Map<SecurityBurst['kind'], number>();

  onBurst(listener: (burst: SecurityBurst) => void): void {
    this.listeners.push(listener);
  }

  /** Bursts signalled by this instance since start, per kind. */
  count(kind: SecurityBurst['kind']): number {
    return this.counts.get(kind) ?? 0;
  }

  burst(burst: SecurityBurst): void {
    this.counts.set(burst.kind, this.count(burst.kind) + 1);
    this.logger.warn({ event: 'security_burst', ...burst });
    for (const listener of this.listeners) {
      try {
        listener(burst);
      } catch {
        // a broken listener must never break authentication
      }
    }
  }
}
