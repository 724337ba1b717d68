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
