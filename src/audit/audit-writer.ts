import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { currentAuditContext, SYSTEM, type Actor } from './audit-context.js';
import type { AuditEventType } from './audit-event-types.js';

export interface AuditEventInput {
  type: AuditEventType;
  subject: { type: string; id: string | null };
  /** The owner the event concerns (pseudonymised when the owner is erased). */
  ownerId?: string | null;
  /** Default: the request's actor (admin listener), else `system`. */
  actor?: Actor;
  /** Default: the request's address (admin listener), else none. */
  sourceAddress?: string | null;
  /** Non-secret details: never a password, a secret or a token. */
  data?: Record<string, unknown>;
}

/** LIKE pattern matching one type in a space-delimited list (`_` and `%` escaped). */
const typePattern = (type: string): string => `% ${type.replace(/[\\%_]/g, (c) => `\\${c}`)} %`;

/**
 * Writes audit events with the caller's EntityManager, so an event commits or rolls back with
 * the change it records (transactional outbox). In the same statement batch it queues one
 * webhook delivery per enabled endpoint subscribed to the type; the dispatcher sends them later,
 * so a slow or dead endpoint never touches the request path.
 */
@Injectable()
export class AuditWriter {
  private readonly insertEvent: string;
  private readonly insertDeliveries: string;

  constructor(private readonly tx: Transactions) {
    this.insertEvent = tx.sql(
      `INSERT INTO audit_events
         (event_id, type, occurred_at, actor_type, actor_id, subject_type, subject_id, owner_id, source_address, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
    );
    this.insertDeliveries = tx.sql(
      `INSERT INTO webhook_deliveries
         (endpoint_id, event_seq, subject_key, status, attempts, next_attempt_at, lease_until, last_error, created_at, finished_at)
       SELECT e.id, CAST(? AS bigint), CAST(? AS varchar(140)), 'pending', 0, CAST(? AS bigint), NULL, NULL, CAST(? AS bigint), NULL
       FROM webhook_endpoints e
       WHERE e.disabled = false AND (e.event_types = '*' OR e.event_types LIKE ? ESCAPE '\\')`,
    );
  }

  /** Records the event inside the caller's transaction. */
  async record(manager: EntityManager, input: AuditEventInput, now = new Date()): Promise<void> {
    const context = currentAuditContext();
    const actor = input.actor ?? context?.actor ?? SYSTEM;
    const rows = await manager.query<{ seq: string | number }[]>(this.insertEvent, [
      randomUUID(),
      input.type,
      now.getTime(),
      actor.type,
      actor.id,
      input.subject.type,
      input.subject.id,
      input.ownerId ?? null,
      input.sourceAddress !== undefined ? input.sourceAddress : (context?.sourceAddress ?? null),
      JSON.stringify(input.data ?? {}),
    ]);
    const seq = Number(rows[0]?.seq);
    await manager.query(this.insertDeliveries, [
      seq,
      `${input.subject.type}:${input.subject.id ?? ''}`,
      now.getTime(),
      now.getTime(),
      typePattern(input.type),
    ]);
  }

  /** An event that records no other change (a failed login): its own short transaction. */
  recordAlone(input: AuditEventInput): Promise<void> {
    return this.tx.run((manager) => this.record(manager, input));
  }
}
