import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochColumn, JsonColumn } from '../../database/epoch-column.js';
import type { ActClaim } from '../access-tokens/access-token.service.js';

/**
 * A grant: the lineage of every refresh token rotated from one authorization (R-RT-7). Tokens
 * reference it, so revoking the family is one UPDATE of this row (R-RT-8, R-REV-7), and its id
 * is the `grantId` of every access token issued from it.
 */
@Entity('refresh_token_families')
@Index('IDX_rt_families_client', ['clientId'])
@Index('IDX_rt_families_owner', ['ownerId'])
@Index('IDX_rt_families_consent', ['consentGrantId'])
@Index('IDX_rt_families_expires', ['absoluteExpiresAt'])
@Index('IDX_rt_families_parent', ['parentFamilyId'])
export class RefreshTokenFamilyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId!: string;

  /** Resource owner; null only for grants without a user (none are issued today). */
  @Column({ name: 'owner_id', type: 'varchar', length: 36, nullable: true })
  ownerId!: string | null;

  /** The consent that allowed this grant, so withdrawing consent revokes it. */
  @Column({ name: 'consent_grant_id', type: 'varchar', length: 64, nullable: true })
  consentGrantId!: string | null;

  /** Space-delimited scope the owner granted (R-RT-4). */
  @Column({ type: 'text' })
  scope!: string;

  /** RFC 8707 resources the grant covers. */
  @JsonColumn()
  resources!: string[];

  /** Kept for every access token of the grant (RFC 9068 §2.2.1 auth_time). */
  @EpochColumn({ name: 'auth_time', nullable: true })
  authTime!: Date | null;

  /** RFC 9449 §5: a public client's grant bound to this DPoP key thumbprint (R-DPOP-7). */
  @Column({ name: 'dpop_jkt', type: 'varchar', length: 64, nullable: true })
  dpopJkt!: string | null;
  /** OpenID Connect session the grant started in (`sid` of refresh-issued ID tokens). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  sid!: string | null;

  /**
   * RFC 8693: the subject's family when this one was started by token exchange. Revoking a
   * family revokes its descendants (RefreshTokenService), so revoking the subject's grant
   * revokes the exchanged refresh tokens.
   */
  @Column({ name: 'parent_family_id', type: 'varchar', length: 36, nullable: true })
  parentFamilyId!: string | null;

  /** RFC 8693 §4.1 `act` of an exchanged grant, repeated in every access token refreshed from it. */
  @JsonColumn({ nullable: true })
  act!: ActClaim | null;

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;

  @EpochColumn({ name: 'absolute_expires_at' })
  absoluteExpiresAt!: Date;

  @EpochColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
