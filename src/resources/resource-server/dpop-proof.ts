import { createHash, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import { BoundedCache } from './bounded-cache.js';
import {
  hasCriticalExtensions,
  importPublicJwk,
  isSupportedJwsAlg,
  isTyp,
  verifyCompactSignature,
} from './jws-verify.js';

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
/** JWK members that only a private or symmetric key has (RFC 7517/7518): never in a proof. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * Proof keys already imported, by alg and the header's `jwk` as sent: a DPoP client signs every
 * proof with one key, so each request after its first skips the import and the thumbprint.
 * Bounded: a flood of fresh keys costs each its import, as without the cache, and evicts oldest.
 */
const KEY_CACHE_SIZE = 10_000;
const KEY_CACHE_TTL_MS = 60 * 60 * 1000;
const proofKeys = new BoundedCache<{ key: KeyObject; jkt: string }>(KEY_CACHE_SIZE);

async function proofKey(jwk: JWK, alg: string): Promise<{ key: KeyObject; jkt: string } | undefined> {
  const id = `${alg}.${JSON.stringify(jwk)}`;
  const cached = proofKeys.get(id);
  if (cached) {
    return cached;
  }
  const key = await importPublicJwk(jwk, alg).catch(() => undefined);
  if (!key) {
    return undefined;
  }
  const entry = { key, jkt: await calculateJwkThumbprint(jwk, 'sha256') };
  proofKeys.set(id, entry, Date.now() + KEY_CACHE_TTL_MS);
  return entry;
}

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
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(proof);
    payload = decodeJwt(proof);
  } catch {
    throw new DpopProofError('invalid DPoP proof: not a decodable JWT');
  }
  const algorithms = input.algorithms ?? DPOP_ALGORITHMS;
  const { alg, jwk } = header;
  if (!isTyp(header.typ, 'dpop+jwt')) {
    throw new DpopProofError('invalid DPoP proof: the typ header must be dpop+jwt');
  }
  if (!isSupportedJwsAlg(alg) || !algorithms.includes(alg)) {
    throw new DpopProofError('invalid DPoP proof: the alg is not allowed');
  }
  if (hasCriticalExtensions(header)) {
    throw new DpopProofError('invalid DPoP proof: unsupported critical header');
  }
  if (
    typeof jwk !== 'object' ||
    jwk === null ||
    Array.isArray(jwk) ||
    PRIVATE_MEMBERS.some((m) => m in jwk)
  ) {
    throw new DpopProofError('invalid DPoP proof: the jwk header must be a public key');
  }
  const resolved = await proofKey(jwk, alg);
  if (!resolved) {
    throw new DpopProofError('invalid DPoP proof: the jwk header is not a usable key for its alg');
  }
  if (!verifyCompactSignature(proof, alg, resolved.key)) {
    throw new DpopProofError('invalid DPoP proof: signature verification failed');
  }
  if (payload.exp !== undefined && (typeof payload.exp !== 'number' || payload.exp <= now)) {
    throw new DpopProofError('invalid DPoP proof: "exp" claim timestamp check failed');
  }
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now)) {
    throw new DpopProofError('invalid DPoP proof: "nbf" claim timestamp check failed');
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
  return { jkt: resolved.jkt, jti, iat, ...(nonce === undefined ? {} : { nonce }) };
}
