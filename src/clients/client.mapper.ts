import { InvalidRequest } from '../common/errors/oauth-error.js';
import { OIDC_METADATA_KEYS } from '../oidc/oidc-client-metadata.js';
import type { ClientEntity, ClientExtraMetadata, GrantType } from './client.entity.js';
import { defaultResponseTypes } from './client-metadata.rules.js';
import type { ClientSettings } from './clients.service.js';
import type { ClientMetadataDto } from './dto/client-metadata.dto.js';
import type { ClientResponseDto } from './dto/client-response.dto.js';
import type { CreateClientDto } from './dto/create-client.dto.js';
import type { UpdateClientDto } from './dto/update-client.dto.js';

const EXTRA_KEYS = [
  'client_uri',
  'logo_uri',
  'tos_uri',
  'policy_uri',
  'contacts',
  'software_id',
  'software_version',
  ...OIDC_METADATA_KEYS,
] as const satisfies readonly (keyof ClientExtraMetadata & keyof ClientMetadataDto)[];

/** The RFC 7591 informational metadata present in a DTO. */
export function extraMetadataOf(dto: ClientMetadataDto): ClientExtraMetadata {
  const extra: Record<string, unknown> = {};
  for (const key of EXTRA_KEYS) {
    if (dto[key] !== undefined && dto[key] !== null) {
      extra[key] = dto[key];
    }
  }
  return extra;
}

/** POST /admin/clients body → settings, with RFC 7591 defaults (R-REG-3). */
export function settingsFromCreateDto(dto: CreateClientDto, allScopes: string): ClientSettings {
  const grantTypes = (dto.grant_types ?? ['authorization_code']) as GrantType[];
  return {
    clientName: dto.client_name,
    tokenEndpointAuthMethod: dto.token_endpoint_auth_method ?? 'client_secret_basic',
    redirectUris: dto.redirect_uris ?? [],
    grantTypes,
    responseTypes: dto.response_types ?? defaultResponseTypes(grantTypes),
    scope: dto.scope ?? allScopes,
    allowedResources: dto.allowed_resources ?? [],
    defaultResource: dto.default_resource ?? null,
    jwks: dto.jwks ?? null,
    jwksUri: dto.jwks_uri ?? null,
    accessTokenTtl: dto.access_token_ttl ?? null,
    refreshTokenTtl: dto.refresh_token_ttl ?? null,
    accessTokenFormat: dto.access_token_format ?? 'jwt',
    refreshTokenRotation: dto.refresh_token_rotation ?? true,
    canIntrospect: dto.can_introspect ?? false,
    firstParty: dto.first_party ?? false,
    disabled: dto.disabled ?? false,
    metadata: extraMetadataOf(dto),
  };
}

const NULLABLE = new Set(['jwks', 'jwks_uri', 'access_token_ttl', 'refresh_token_ttl', 'default_resource']);

/** PATCH body → the changed settings only; null clears nullable fields and is refused elsewhere. */
export function changesFromUpdateDto(dto: UpdateClientDto, current: ClientEntity): Partial<ClientSettings> {
  for (const [key, value] of Object.entries(dto)) {
    if (value === null && !NULLABLE.has(key)) {
      throw new InvalidRequest(`${key} must not be null`);
    }
  }
  const changes: Partial<ClientSettings> = {};
  const set = <K extends keyof ClientSettings>(key: K, value: ClientSettings[K] | undefined): void => {
    if (value !== undefined) {
      changes[key] = value;
    }
  };
  set('clientName', dto.client_name);
  set('tokenEndpointAuthMethod', dto.token_endpoint_auth_method);
  set('redirectUris', dto.redirect_uris);
  set('grantTypes', dto.grant_types as GrantType[] | undefined);
  set('responseTypes', dto.response_types);
  if (dto.grant_types && !dto.response_types) {
    changes.responseTypes = defaultResponseTypes(dto.grant_types);
  }
  set('scope', dto.scope);
  set('allowedResources', dto.allowed_resources);
  set('defaultResource', dto.default_resource);
  set('jwks', dto.jwks);
  set('jwksUri', dto.jwks_uri);
  set('accessTokenTtl', dto.access_token_ttl);
  set('refreshTokenTtl', dto.refresh_token_ttl);
  set('accessTokenFormat', dto.access_token_format);
  set('refreshTokenRotation', dto.refresh_token_rotation);
  set('canIntrospect', dto.can_introspect);
  set('firstParty', dto.first_party);
  set('disabled', dto.disabled);
  if (EXTRA_KEYS.some((key) => dto[key] !== undefined)) {
    changes.metadata = { ...current.metadata, ...extraMetadataOf(dto) };
  }
  return changes;
}

/** The admin view of a client: snake_case, no hashes, the secret only when just issued. */
export function toClientResponse(client: ClientEntity, secret: string | null = null): ClientResponseDto {
  const view: ClientResponseDto = {
    client_id: client.clientId,
    client_name: client.clientName,
    client_type: client.tokenEndpointAuthMethod === 'none' ? 'public' : 'confidential',
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    redirect_uris: client.redirectUris,
    grant_types: client.grantTypes,
    response_types: client.responseTypes,
    scope: client.scope,
    allowed_resources: client.allowedResources,
    default_resource: client.defaultResource ?? null,
    jwks: client.jwks,
    jwks_uri: client.jwksUri,
    access_token_ttl: client.accessTokenTtl,
    refresh_token_ttl: client.refreshTokenTtl,
    access_token_format: client.accessTokenFormat,
    refresh_token_rotation: client.refreshTokenRotation,
    can_introspect: client.canIntrospect,
    first_party: client.firstParty,
    disabled: client.disabled,
    dynamically_registered: client.dynamicallyRegistered,
    ...client.metadata,
    created_at: client.createdAt.toISOString(),
    updated_at: client.updatedAt.toISOString(),
    previous_secret_expires_at: client.previousSecretExpiresAt?.toISOString() ?? null,
  };
  if (secret) {
    view.client_secret = secret;
  }
  return view;
}
