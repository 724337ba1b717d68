import { AsyncLocalStorage } from 'node:async_hooks';
import type { ActorType } from './audit-event.entity.js';

export interface Actor {
  type: ActorType;
  id: string | null;
}

export interface AuditRequestContext {
  actor: Actor;
  sourceAddress: string | null;
}

/**
 * Who is acting in the current request, for audit events: set by the admin listener's
 * interceptor (the admin principal and the caller's address). Work started outside a request
 * (timers, start-up) has no context and is attributed to `system`.
 */
export const auditContext = new AsyncLocalStorage<AuditRequestContext>();

export const SYSTEM: Actor = { type: 'system', id: null };

export const currentAuditContext = (): AuditRequestContext | undefined => auditContext.getStore();

/**
 * Runs work attributed to an actor outside an HTTP request, e.g. the admin CLI:
 * `runAs({ type: 'admin', id: 'cli' }, () => clients.rotateSecret(id))`.
 */
export const runAs = <T>(actor: Actor, work: () => T): T =>
  auditContext.run({ actor, sourceAddress: null }, work);

let inFlight = 0;

/**
 * Brackets one admin request: the context is switched off again when no admin request is in
 * flight. On Node 20 an enabled AsyncLocalStorage installs async_hooks promise hooks that run for
 * every promise of the process, the token endpoint's included (about 8 % of its CPU, issue 18);
 * admin requests are rare, so the hooks are on only while one runs. `run()` switches it back on.
 */
export function adminRequestStarted(): () => void {
  inFlight++;
  let done = false;
  return () => {
    if (done) {
      return;
    }
    done = true;
    if (--inFlight === 0) {
      auditContext.disable();
    }
  };
}
