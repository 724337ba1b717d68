import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { EpochColumn } from '../../database/epoch-column.js';
import { RefreshTokenFamilyEntity } from './refresh-token-family.entity.js';

/** One refresh token, stored only as SHA-256 (R-RT-2). Revocation lives on the family. */
@Entity('refresh_tokens')
@Index('IDX_refresh_tokens_family', ['familyId'])
@Index('IDX_refresh_tokens_idle_expires', ['idleExpiresAt'])
export class RefreshTokenEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'family_id', type: 'varchar', length: 36 })
  familyId!: string;

  @ManyToOne(() => RefreshTokenFamilyEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'family_id' })
  family?: RefreshTokenFamilyEntity;

  /** Bound to its client (R-RT-3). */
  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId!: string;

  /** Always the family's full scope (R-RT-11). */
  @Column({ type: 'text' })
  scope!: string;

  @EpochColumn({ name: 'issued_at' })
  issuedAt!: Date;

  @EpochColumn({ name: 'idle_expires_at' })
  idleExpiresAt!: Date;

  /** Set when the token was rotated out; presenting it again is reuse (R-RT-8). */
  @EpochColumn({ name: 'used_at', nullable: true })
  usedAt!: Date | null;
}
