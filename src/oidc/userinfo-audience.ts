import type { AppConfig } from '../config/app-config.js';
import { defaultAudience } from '../back-channel/grants/default-audience.js';

export const userinfoEndpoint = (config: AppConfig): string => `${config.issuer}/userinfo`;

/**
 * The audience rule of UserInfo (R-OIDC-7), in one place so it can move into the resource
 * registry: a token granted `openid` is accepted when its audience is the UserInfo endpoint
 * itself or the default audience (what a token requested without `resource` carries); a token
 * minted for another resource server is not.
 */
export function userinfoAcceptsAudience(aud: string, config: AppConfig): boolean {
  return aud === userinfoEndpoint(config) || aud === defaultAudience(config);
}
