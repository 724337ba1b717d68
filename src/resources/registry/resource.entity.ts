import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochColumn, JsonColumn } from '../../database/epoch-column.js';

/** Which clients may obtain tokens for a resource. */
export type ClientPolicy = 'any' | 'listed' | 'first_party';
export const CLIENT_POLICIES: readonly ClientPolicy[] = ['any', 'listed', 'first_party'];

/** A scope a resource defines, with the text shown on the consent page. */
export interface ResourceScope {
  name: string;
  description: string;
}

/**
 * A registered resource server (RFC 8707 resource indicator): the audience of the access tokens
 * issued for it, the scopes it defines, how its tokens look and which clients may get them.
 */
@Entity('resource_servers')
export class ResourceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Absolute URI without fragment or query, normalised (normalizeResource); unique. */
  @Index('IDX_resource_servers_identifier', { unique: true })
  @Column({ type: 'varchar', length: 2048 })
  identifier!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @JsonColumn()
  scopes!: ResourceScope[];

  /** jwt or opaque; null: the client's access_token_format decides. */
  @Column({ name: 'access_token_format', type: 'varchar', length: 16, nullable: true })
  accessTokenFormat!: 'jwt' | 'opaque' | null;

  /** Seconds; null: ACCESS_TOKEN_TTL. A client's own shorter lifetime still wins. */
  @Column({ name: 'access_token_ttl', type: 'integer', nullable: true })
  accessTokenTtl!: number | null;

  @Column({ name: 'client_policy', type: 'varchar', length: 16 })
  clientPolicy!: ClientPolicy;

  /** Client ids allowed under the `listed` policy (clients may also name the resource themselves). */
  @JsonColumn({ name: 'listed_clients' })
  listedClients!: string[];

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;

  @EpochColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
