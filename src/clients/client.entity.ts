import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochColumn, JsonColumn } from '../database/epoch-column.js';
import type { OidcClientMetadata } from '../oidc/oidc-client-metadata.js';

export type TokenEndpointAuthMethod =
  'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
export type GrantType =
  | 'authorization_code'
  | 'refresh_token'
  | 'client_credentials'
  | 'urn:ietf:params:oauth:grant-type:device_code'
  | 'urn:ietf:params:oauth:grant-type:token-exchange'
  | 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export type AccessTokenFormat = 'jwt' | 'opaque';

/** RFC 7591 metadata kept as given (client_uri, logo_uri, contacts, tos_uri, policy_uri, software_*). */
export interface ClientExtraMetadata extends OidcClientMetadata {
  client_uri?: string;
  logo_uri?: string;
  contacts?: string[];
  tos_uri?: string;
  policy_uri?: string;
  software_id?: string;
  software_version?: string;
  /** OpenID Connect Registration §2 (dynamic registration): web or native. */
  application_type?: 'web' | 'native';
}

@Entity('clients')
export class ClientEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @Column({ name: 'client_name', type: 'varchar', length: 200 })
  clientName!: string;

  @Column({ name: 'token_endpoint_auth_method', type: 'varchar', length: 32 })
  tokenEndpointAuthMethod!: TokenEndpointAuthMethod;

  @JsonColumn({ name: 'redirect_uris' })
  redirectUris!: string[];

  @JsonColumn({ name: 'grant_types' })
  grantTypes!: GrantType[];

  @JsonColumn({ name: 'response_types' })
  responseTypes!: string[];

  /** Space-delimited scopes the client may request. */
  @Column({ type: 'text', default: '' })
  scope!: string;

  /** RFC 8707 resource indicators (audiences) the client may request tokens for. */
  @JsonColumn({ name: 'allowed_resources' })
  allowedResources!: string[];

  /** Audience of tokens requested without `resource` (a registered resource); null: none. */
  @Column({ name: 'default_resource', type: 'varchar', length: 2048, nullable: true })
  defaultResource!: string | null;

  @JsonColumn({ nullable: true })
  jwks!: { keys: Record<string, unknown>[] } | null;

  @Column({ name: 'jwks_uri', type: 'varchar', length: 2000, nullable: true })
  jwksUri!: string | null;

  @Column({ name: 'access_token_ttl', type: 'integer', nullable: true })
  accessTokenTtl!: number | null;

  @Column({ name: 'refresh_token_ttl', type: 'integer', nullable: true })
  refreshTokenTtl!: number | null;

  @Column({ name: 'access_token_format', type: 'varchar', length: 16, default: 'jwt' })
  accessTokenFormat!: AccessTokenFormat;

  /** Rotate refresh tokens on use; always true for public clients (R-RT-6). */
  @Column({ name: 'refresh_token_rotation', type: 'boolean', default: true })
  refreshTokenRotation!: boolean;

  /** Resource-server clients may call /introspect (R-INT-2 project default). */
  @Column({ name: 'can_introspect', type: 'boolean', default: false })
  canIntrospect!: boolean;

  /** First-party clients skip the consent page. */
  @Column({ name: 'first_party', type: 'boolean', default: false })
  firstParty!: boolean;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @Column({ name: 'secret_hash', type: 'varchar', length: 64, nullable: true })
  secretHash!: string | null;

  @Column({ name: 'previous_secret_hash', type: 'varchar', length: 64, nullable: true })
  previousSecretHash!: string | null;

  @EpochColumn({ name: 'previous_secret_expires_at', nullable: true })
  previousSecretExpiresAt!: Date | null;

  /** RFC 7592 registration access token (hash), for dynamically registered clients. */
  @Index('IDX_clients_registration_token_hash')
  @Column({ name: 'registration_token_hash', type: 'varchar', length: 64, nullable: true })
  registrationTokenHash!: string | null;

  @Column({ name: 'dynamically_registered', type: 'boolean', default: false })
  dynamicallyRegistered!: boolean;

  @JsonColumn()
  metadata!: ClientExtraMetadata;

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;

  @EpochColumn({ name: 'updated_at' })
  updatedAt!: Date;

  get isPublic(): boolean {
    return this.tokenEndpointAuthMethod === 'none';
  }
}
