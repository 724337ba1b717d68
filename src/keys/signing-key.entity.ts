import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochColumn, JsonColumn } from '../database/epoch-column.js';

export type SigningAlg = 'ES256' | 'EdDSA' | 'RS256';

/**
 * One signing key pair. Lifecycle (all instants epoch ms):
 * created → published in the JWKS at once; signs from `activatesAt`; stops signing at
 * `retiresAt` (when the next generation activates); leaves the JWKS at `expiresAt`
 * (retirement + the longest access-token lifetime). `generation` is unique, so instances
 * sharing the database cannot create two competing successors of one key.
 */
@Entity('signing_keys')
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Index('UQ_signing_keys_generation', { unique: true })
  @Column({ type: 'integer' })
  generation!: number;

  @Column({ type: 'varchar', length: 16 })
  alg!: SigningAlg;

  @JsonColumn({ name: 'public_jwk' })
  publicJwk!: Record<string, unknown>;

  /** PKCS#8 DER, AES-256-GCM encrypted (src/common/crypto/key-encryption.ts), AAD = kid. */
  @Column({ name: 'private_key_encrypted', type: 'text' })
  privateKeyEncrypted!: string;

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;

  @EpochColumn({ name: 'activates_at' })
  activatesAt!: Date;

  @EpochColumn({ name: 'retires_at', nullable: true })
  retiresAt!: Date | null;

  @EpochColumn({ name: 'expires_at', nullable: true })
  expiresAt!: Date | null;
}
