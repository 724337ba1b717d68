import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EpochColumn } from '../database/epoch-column.js';

/** An operator-registered receiver of audit events. */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  /** `*`, or the subscribed types space-delimited with a leading and trailing space (LIKE match). */
  @Column({ name: 'event_types', type: 'text' })
  eventTypes!: string;

  /** The signing secret, AES-256-GCM under KEY_ENCRYPTION_SECRET (it must be read back to sign). */
  @Column({ name: 'secret_encrypted', type: 'text' })
  secretEncrypted!: string;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;

  @EpochColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
