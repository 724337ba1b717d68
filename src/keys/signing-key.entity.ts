import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochColumn, JsonColumn } from '../database/epoch-column.js';

export type SigningAlg = 'ES256' | 'EdDSA' | 'RS256';

/**
 * One signing key pair. Lifecycle (all instants epoch ms):
 * created → published in the JWKS at once; signs from `activatesAt`; stops signing at
 * `retiresAt` (when the next generation activates); leaves the JWKS at `expiresAt`
 * (retirement + the longest access-token lifetime). `generation` is unique per role (primary / companion), so instances
 * sharing the database cannot create two competing successors of one key.
 */
@Entity('signing_keys')
@Index('UQ_signing_keys_generation_companion', ['generation', 'companion'], { unique: true })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'integer' })
  generation!: number;

  /**
   * An RS256 key created with its generation when SIGNING_ALG is not RS256, for ID tokens of
   * clients registered with id_token_signed_response_alg RS256 (OIDC Core §3.1.3.7). It follows
   * its generation's lifecycle; (generation, companion) is unique.
   */
  @Column({ type: 'boolean', default: false })
  companion!: boolean;

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
