import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JWK } from 'jose';
import { EpochColumn, JsonColumn } from '../database/epoch-column.js';

/**
 * An external token issuer whose JWTs Tessera accepts as token-exchange subject tokens and JWT
 * bearer assertions: its public keys (static JWKS) or a JWKS URL, and which claim names the
 * owner (`sub` is matched against owner ids; `email` / `preferred_username` against usernames).
 */
@Entity('trusted_issuers')
export class TrustedIssuerEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 512, unique: true })
  issuer!: string;

  @JsonColumn({ nullable: true })
  jwks!: { keys: JWK[] } | null;

  @Column({ name: 'jwks_uri', type: 'varchar', length: 2048, nullable: true })
  jwksUri!: string | null;

  @Column({ name: 'subject_claim', type: 'varchar', length: 64 })
  subjectClaim!: string;

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;

  @EpochColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
