import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify, type JWK } from 'jose';

/** R-DPOP-2: asymmetric algorithms only; `none` and MACs are never accepted. */
export const DPOP_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
];
/** R-DPOP-3: project acceptance window for `iat`, in seconds either side of now. */
export const DPOP_IAT_WINDOW_SECONDS = 60;
const MAX_PROOF_LENGTH = 8192;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Why a proof was refused; the caller maps it to its wire error (400 at the AS, 401 at an RS). */
export class DpopProofError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'DpopProofError';
  }
}

export interface DpopProofInput {
  /** Every DPoP header of the request (R-DPOP-1: exactly one). */
  headers: string[];
  /** The request method (htm). */
  method: string;
  /** The request URL as the client addressed it; query and fragment are ignored (htu). */
  url: string;
  /** The access token presented with the proof, when there is one (ath, R-DPOP-11). */
  accessToken?: string;
  algorithms?: readonly string[];
  now?: number;
}

export interface DpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's key (cnf.jkt). */
  jkt: string;
  jti: string;
  iat: number;
  nonce?: string;
}

/** RFC 9449 §4.3 htu comparison: scheme and host lowercased, default port dropped, no query/fragment. */
export function normalizeHtu(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return undefined;
    }
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return undefined;
  }
}

/** Every value of a header, including repeats Node would fold (rawHeaders). */
export function headerValues(
  rawHeaders: readonly string[] | undefined,
  name: string,
  folded: string | string[] | undefined,
): string[] {
  if (!rawHeaders) {
    return folded === undefined ? [] : Array.isArray(folded) ? folded : [folded];
  }
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === name) {
      values.push(rawHeaders[i + 1] ?? '');
    }
  }
  return values;
}

export const accessTokenHash = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

/**
 * RFC 9449 §4.3 checks 1–11 except replay and nonce, which need state (the caller does them):
 * one well-formed JWT (R-DPOP-1); typ dpop+jwt, allow-listed asymmetric alg, public `jwk`, valid
 * signature (R-DPOP-2); jti, htm, htu, iat within ±60 s, ath when a token is presented (R-DPOP-3).
 */
export async function verifyDpopProof(input: DpopProofInput): Promise<DpopProof> {
  if (input.headers.length !== 1) {
    throw new DpopProofError(input.headers.length === 0 ? 'DPoP proof missing' : 'more than one DPoP header');
  }
  const proof = (input.headers[0] ?? '').trim();
  if (proof.length > MAX_PROOF_LENGTH || !JWT_SHAPE.test(proof)) {
    throw new DpopProofError('the DPoP header is not a single compact JWT');
  }
  const now = input.now ?? Math.floor(Date.now() / 1000);
  let payload: Record<string, unknown>;
  let jwk: JWK;
  try {
    const verified = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: [...(input.algorithms ?? DPOP_ALGORITHMS)],
      currentDate: new Date(now * 1000),
    });
    payload = verified.payload;
    jwk = verified.protectedHeader.jwk as JWK;
  } catch (err) {
    const reason = err instanceof Error ? err.message : 'invalid';
    throw new DpopProofError(`invalid DPoP proof: ${reason.slice(0, 120)}`);
  }
  const { jti, htm, htu, iat, ath, nonce } = payload;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) {
    throw new DpopProofError('the DPoP proof needs a jti');
  }
  if (htm !== input.method) {
    throw new DpopProofError('the DPoP proof htm does not match the request method');
  }
  const expected = normalizeHtu(input.url);
  if (typeof htu !== 'string' || expected === undefined || normalizeHtu(htu) !== expected) {
    throw new DpopProofError('the DPoP proof htu does not match the request URL');
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat) || Math.abs(now - iat) > DPOP_IAT_WINDOW_SECONDS) {
    throw new DpopProofError('the DPoP proof iat is outside the acceptance window');
  }
  if (input.accessToken !== undefined && ath !== accessTokenHash(input.accessToken)) {
    throw new DpopProofError('the DPoP proof ath does not match the access token');
  }
  if (nonce !== undefined && typeof nonce !== 'string') {
    throw new DpopProofError('the DPoP proof nonce must be a string');
  }
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  return { jkt, jti, iat, ...(nonce === undefined ? {} : { nonce }) };
}
