import { randomUUID } from 'node:crypto';
import type { ClientEntity } from '../../clients/client.entity.js';
import type { AppConfig } from '../../config/app-config.js';
import type { KeysService } from '../../keys/keys.service.js';
import { idTokenAlgs } from '../id-token-algs.js';
import { idTokenAlgOf } from '../oidc-client-metadata.js';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** Back-Channel Logout §2.4 recommends at most two minutes. */
const LOGOUT_TOKEN_TTL = 120;

/**
 * Back-Channel Logout 1.0 §2.4 logout token (R-OIDC-11): iss, aud, iat, exp, jti, events, sub
 * and sid, never nonce; typ logout+jwt; signed like the client's ID tokens.
 */
export function signLogoutToken(
  keys: KeysService,
  config: AppConfig,
  client: ClientEntity,
  subject: { sub: string; sid: string | null },
): string {
  const iat = Math.floor(Date.now() / 1000);
  return keys
    .signerFor(idTokenAlgOf(client, idTokenAlgs(config)))
    .withType('logout+jwt')
    .sign({
      iss: config.issuer,
      sub: subject.sub,
      aud: client.clientId,
      iat,
      exp: iat + LOGOUT_TOKEN_TTL,
      jti: randomUUID(),
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
      ...(subject.sid === null ? {} : { sid: subject.sid }),
    });
}
