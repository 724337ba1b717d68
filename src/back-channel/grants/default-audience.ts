import type { AppConfig } from '../../config/app-config.js';
import type { AccessTokenGrant } from '../../tokens/access-tokens/access-token.service.js';
import type { TokenAudience } from '../../resources/registry/audience-policy.js';

/**
 * R-AT-8: `aud` of a token requested without `resource` when neither the client nor the scopes
 * name one: DEFAULT_AUDIENCE, else the issuer. The grants get their audience from
 * AudiencePolicy (src/resources/registry/audience-policy.ts), which applies this fallback.
 */
export function defaultAudience(config: AppConfig): string {
  return config.env.DEFAULT_AUDIENCE ?? config.issuer;
}

/** The access-token fields an audience decision sets: aud, scope, and the resource's format and lifetime. */
export function audienceClaims(
  decided: TokenAudience,
): Pick<AccessTokenGrant, 'audience' | 'scope' | 'format' | 'ttl'> {
  return {
    audience: decided.identifier,
    scope: decided.scope,
    format: decided.resource?.accessTokenFormat ?? null,
    ttl: decided.resource?.accessTokenTtl ?? null,
  };
}
