import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EpochColumn, JsonColumn } from '../database/epoch-column.js';

/** Subject token types a policy may allow (RFC 8693 §3, short names). */
export const SUBJECT_TOKEN_TYPES = ['access_token', 'refresh_token', 'id_token', 'jwt'] as const;
export type SubjectTokenType = (typeof SUBJECT_TOKEN_TYPES)[number];

/**
 * What one client may do with token exchange (RFC 8693 §5, R-TX-5) and the JWT bearer grant
 * (RFC 7523, R-TX-6). No row: nothing is allowed.
 */
@Entity('token_exchange_policies')
export class TokenExchangePolicyEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  /** Subject token types the client may exchange. */
  @JsonColumn({ name: 'subject_token_types' })
  subjectTokenTypes!: SubjectTokenType[];

  /** Trusted issuers (their `issuer` value) whose JWTs the client may present. */
  @JsonColumn()
  issuers!: string[];

  /** Resources / audiences the issued tokens may target. */
  @JsonColumn()
  audiences!: string[];

  /** Exchange with an actor (or the client itself) recorded as `act`. */
  @Column({ type: 'boolean', default: true })
  delegation!: boolean;

  /** Exchange without `act`: the new token is indistinguishable from the subject's. */
  @Column({ type: 'boolean', default: false })
  impersonation!: boolean;

  /** requested_token_type=refresh_token allowed. */
  @Column({ name: 'refresh_tokens', type: 'boolean', default: false })
  refreshTokens!: boolean;

  /** The JWT bearer grant (RFC 7523 §2.1) with assertions from `issuers`. */
  @Column({ name: 'jwt_bearer', type: 'boolean', default: false })
  jwtBearer!: boolean;

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;

  @EpochColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
