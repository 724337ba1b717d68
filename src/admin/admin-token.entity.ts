import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EpochColumn } from '../database/epoch-column.js';

/** Hash of the generated bootstrap admin token (when ADMIN_TOKEN is unset). */
@Entity('admin_tokens')
export class AdminTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;
}
