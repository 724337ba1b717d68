import { Column, Entity, Index } from 'typeorm';
import { EpochColumn } from '../database/epoch-column.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

const numeric = { to: (v: unknown) => v, from: (v: unknown) => (v === null ? null : Number(v)) };

/** One audit event to send to one endpoint (queued in the event's transaction). */
@Entity('webhook_deliveries')
@Index('IDX_webhook_deliveries_due', ['status', 'nextAttemptAt'])
@Index('IDX_webhook_deliveries_subject', ['endpointId', 'subjectKey', 'status'])
@Index('IDX_webhook_deliveries_event', ['eventSeq'])
export class WebhookDeliveryEntity {
  @Column({ type: 'bigint', primary: true, generated: 'increment', transformer: numeric })
  id!: number;

  @Column({ name: 'endpoint_id', type: 'varchar', length: 36 })
  endpointId!: string;

  @Column({ name: 'event_seq', type: 'bigint', transformer: numeric })
  eventSeq!: number;

  /** `subject_type:subject_id`: deliveries of one subject to one endpoint go in order. */
  @Column({ name: 'subject_key', type: 'varchar', length: 140 })
  subjectKey!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  @Column({ type: 'integer' })
  attempts!: number;

  @EpochColumn({ name: 'next_attempt_at' })
  nextAttemptAt!: Date;

  @EpochColumn({ name: 'lease_until', nullable: true })
  leaseUntil!: Date | null;

  /** Status code or error class of the last failed attempt (never the response body). */
  @Column({ name: 'last_error', type: 'varchar', length: 200, nullable: true })
  lastError!: string | null;

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;

  @EpochColumn({ name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}
