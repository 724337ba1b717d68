import type { AppConfig } from '../config/app-config.js';
import { idTokenAlgs } from './id-token-algs.js';
import { CLAIMS_SUPPORTED } from './standard-claims.js';
import { userinfoEndpoint } from './userinfo-audience.js';

/**
 * OpenID Connect Discovery 1.0 §3 fields (R-OIDC-9): only what is built and tested. Request
 * objects and the claims parameter are not supported and say so; response_types_supported stays
 * ["code"] (hybrid and implicit are refused, R-OIDC-12).
 */
export function openIdProviderMetadata(config: AppConfig): Record<string, string | boolean | string[]> {
  const algs = idTokenAlgs(config);
  return {
    userinfo_endpoint: userinfoEndpoint(config),
    end_session_endpoint: `${config.issuer}/end-session`,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: algs,
    userinfo_signing_alg_values_supported: algs,
    claims_supported: CLAIMS_SUPPORTED,
    claim_types_supported: ['normal'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    prompt_values_supported: ['none', 'login', 'consent'],
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    ui_locales_supported: ['en'],
  };
}
