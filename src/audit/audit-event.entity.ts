import { Column, Entity, Index } from 'typeorm';
import { EpochColumn, JsonColumn } from '../database/epoch-column.js';

const numeric = { to: (v: unknown) => v, from: (v: unknown) => (v === null ? null : Number(v)) };

export type ActorType = 'admin' | 'owner' | 'client' | 'initial_access_token' | 'system' | 'anonymous';

/**
 * One durable audit event, written in the same transaction as the change it records (the
 * transactional outbox webhooks are delivered from). Never holds a secret, a password or a
 * token; owner-related events carry `owner_id` so erasure can pseudonymise them.
 */
@Entity('audit_events')
@Index('IDX_audit_events_event_id', ['eventId'])
@Index('IDX_audit_events_type', ['type', 'seq'])
@Index('IDX_audit_events_subject', ['subjectId', 'seq'])
@Index('IDX_audit_events_actor', ['actorId', 'seq'])
@Index('IDX_audit_events_owner', ['ownerId'])
@Index('IDX_audit_events_occurred', ['occurredAt'])
export class AuditEventEntity {
  /** Insertion order: the pagination cursor and the webhook order. */
  @Column({ type: 'bigint', primary: true, generated: 'increment', transformer: numeric })
  seq!: number;

  /** Stable public id (webhook `id`, idempotency key for receivers). */
  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @EpochColumn({ name: 'occurred_at' })
  occurredAt!: Date;

  @Column({ name: 'actor_type', type: 'varchar', length: 32 })
  actorType!: ActorType;

  @Column({ name: 'actor_id', type: 'varchar', length: 255, nullable: true })
  actorId!: string | null;

  @Column({ name: 'subject_type', type: 'varchar', length: 32 })
  subjectType!: string;

  @Column({ name: 'subject_id', type: 'varchar', length: 255, nullable: true })
  subjectId!: string | null;

  @Column({ name: 'owner_id', type: 'varchar', length: 64, nullable: true })
  ownerId!: string | null;

  @Column({ name: 'source_address', type: 'varchar', length: 64, nullable: true })
  sourceAddress!: string | null;

  @JsonColumn()
  data!: Record<string, unknown>;
}
