import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EpochColumn } from '../database/epoch-column.js';

/**
 * RFC 7591 §3 initial access token (REGISTRATION_POLICY=token). The bearer value is
 * `<id>.<secret>`; only SHA-256(value) is stored, looked up by id and compared in constant time.
 */
@Entity('initial_access_tokens')
export class InitialAccessTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  /** Null: never expires. */
  @EpochColumn({ name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  /** Null: unlimited registrations. */
  @Column({ name: 'max_uses', type: 'integer', nullable: true })
  maxUses!: number | null;

  @Column({ type: 'integer', default: 0 })
  uses!: number;

  @EpochColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;
}
