import type { GrantType } from '../clients/client.entity.js';
import { defaultResponseTypes } from '../clients/client-metadata.rules.js';
import { extraMetadataOf } from '../clients/client.mapper.js';
import type { ClientSettings } from '../clients/clients.service.js';
import { InvalidClientMetadata } from '../common/errors/oauth-error.js';
import type { AppConfig } from '../config/app-config.js';
import { checkApplicationType } from './application-type.js';
import type { RegistrationMetadataDto } from './dto/registration-metadata.dto.js';

/** `open`: registered without an initial access token, so least privilege applies (R-REG-1). */
export type RegistrationTrust = 'trusted' | 'open';

/** Grants that act on behalf of users by policy (R-TX-5, R-REG-9): the admin API only. */
const ADMIN_ONLY_GRANTS = new Set<string>([
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
]);

/** Open registrations get access tokens of at most this many seconds (R-REG-1: shorter lifetimes). */
export const OPEN_ACCESS_TOKEN_TTL = 300;

/**
 * RFC 7591 metadata → stored settings, with the RFC defaults (R-REG-3) and, for open
 * registration, the least-privilege policy: the auth method defaults to `none` (confidential
 * methods are accepted too, under the same per-IP rate limit), no offline_access unless the
 * refresh_token grant is requested, short access tokens. Requested scopes the server does not
 * know (`known`: SCOPES and the registered resources' scopes) are dropped, not refused; the
 * response shows what was registered. Admin-only settings (first party, introspection,
 * audiences) are never self-asserted (R-REG-9): resources follow each resource's policy.
 */
export function settingsFromRegistration(
  dto: RegistrationMetadataDto,
  trust: RegistrationTrust,
  config: AppConfig,
  known: readonly string[],
): ClientSettings {
  const open = trust === 'open';
  const method = dto.token_endpoint_auth_method ?? (open ? 'none' : 'client_secret_basic');
  const grantTypes = (dto.grant_types ?? ['authorization_code']) as GrantType[];
  const adminOnly = grantTypes.filter((g) => ADMIN_ONLY_GRANTS.has(g));
  if (adminOnly.length > 0) {
    throw new InvalidClientMetadata(
      `grant_types: ${adminOnly.join(', ')} need a policy set by an administrator; they cannot be self-registered`,
    );
  }
  const defaultScope =
    open && !grantTypes.includes('refresh_token') ? known.filter((s) => s !== 'offline_access') : known;
  const requested = dto.scope?.split(' ').filter((s) => known.includes(s));
  const applicationType = checkApplicationType(dto.application_type, dto.redirect_uris ?? []);
  return {
    clientName: dto.client_name ?? '',
    tokenEndpointAuthMethod: method,
    redirectUris: dto.redirect_uris ?? [],
    grantTypes,
    responseTypes: dto.response_types ?? defaultResponseTypes(grantTypes),
    scope: requested ? [...new Set(requested)].join(' ') : defaultScope.join(' '),
    allowedResources: [],
    jwks: dto.jwks ?? null,
    jwksUri: dto.jwks_uri ?? null,
    accessTokenTtl: open ? Math.min(config.env.ACCESS_TOKEN_TTL, OPEN_ACCESS_TOKEN_TTL) : null,
    refreshTokenTtl: null,
    accessTokenFormat: 'jwt',
    refreshTokenRotation: true,
    canIntrospect: false,
    firstParty: false,
    disabled: false,
    metadata: { ...extraMetadataOf(dto), ...(applicationType ? { application_type: applicationType } : {}) },
  };
}
