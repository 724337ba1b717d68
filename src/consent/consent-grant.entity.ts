import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochColumn, JsonColumn } from '../database/epoch-column.js';

/** A remembered consent: this owner let this client use these scopes and resources. */
@Entity('consent_grants')
@Index('IDX_consent_grants_owner_client', ['ownerId', 'clientId'])
export class ConsentGrantEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId!: string;

  @Index('IDX_consent_grants_client')
  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId!: string;

  @JsonColumn()
  scopes!: string[];

  @JsonColumn()
  resources!: string[];

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;

  @EpochColumn({ name: 'last_used_at' })
  lastUsedAt!: Date;

  @EpochColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
