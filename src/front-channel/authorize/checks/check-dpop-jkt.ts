import { InvalidRequest } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck } from '../authorize-context.js';

/** A base64url SHA-256 thumbprint (RFC 7638) is 43 characters. */
const JKT = /^[A-Za-z0-9_-]{43}$/;

/**
 * RFC 9449 §10 (R-DPOP-10): `dpop_jkt` binds the authorization code to a DPoP key; the code
 * exchange must then prove that key. A PAR request's DPoP header sets it too (see /par).
 */
export const checkDpopJkt: AuthorizeCheck = (ctx) => {
  const jkt = param(ctx, 'dpop_jkt');
  if (jkt === undefined) {
    return;
  }
  if (!JKT.test(jkt)) {
    throw new InvalidRequest('dpop_jkt must be a base64url SHA-256 JWK thumbprint');
  }
  ctx.dpopJkt = jkt;
};
