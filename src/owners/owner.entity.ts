import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochColumn, JsonColumn } from '../database/epoch-column.js';
import type { StandardClaims } from '../oidc/standard-claims.js';

@Entity('owners')
export class OwnerEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** As the owner typed it at creation. */
  @Column({ type: 'varchar', length: 100 })
  username!: string;

  /** NFKC + lower case: the unique, case-insensitive login key. */
  @Index('IDX_owners_username_key', { unique: true })
  @Column({ name: 'username_key', type: 'varchar', length: 100 })
  usernameKey!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200, nullable: true })
  displayName!: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  /** OpenID Connect standard claims (src/oidc/standard-claims.ts); null when none were set. */
  @JsonColumn({ nullable: true })
  claims!: StandardClaims | null;

  /** argon2id. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @EpochColumn({ name: 'password_changed_at' })
  passwordChangedAt!: Date;

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;

  @EpochColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
