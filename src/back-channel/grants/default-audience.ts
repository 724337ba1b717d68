import type { AppConfig } from '../../config/app-config.js';

/** R-AT-8: `aud` of a token requested without `resource`: DEFAULT_AUDIENCE, else the issuer. */
export function defaultAudience(config: AppConfig): string {
  return config.env.DEFAULT_AUDIENCE ?? config.issuer;
}
