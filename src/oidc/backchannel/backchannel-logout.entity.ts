import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochColumn } from '../../database/epoch-column.js';

/**
 * One back-channel logout notification waiting for delivery (Back-Channel Logout 1.0 §2.5):
 * durable, so a restart or an unreachable RP loses none; retried with backoff until
 * delivered (row deleted) or given up (`givenUpAt` set, kept for the operator).
 */
@Entity('backchannel_logout_outbox')
@Index('IDX_bcl_outbox_due', ['nextAttemptAt'])
export class BackchannelLogoutEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @Column({ name: 'logout_uri', type: 'varchar', length: 2000 })
  logoutUri!: string;

  @Column({ type: 'varchar', length: 255 })
  sub!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sid!: string | null;

  @Column({ type: 'integer' })
  attempts!: number;

  @EpochColumn({ name: 'next_attempt_at' })
  nextAttemptAt!: Date;

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;

  @EpochColumn({ name: 'given_up_at', nullable: true })
  givenUpAt!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 200, nullable: true })
  lastError!: string | null;
}
