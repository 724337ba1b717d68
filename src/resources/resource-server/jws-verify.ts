import { constants, KeyObject, verify } from 'node:crypto';
import { importJWK, type JWK } from 'jose';

/**
 * Synchronous compact-JWS signature checks with node:crypto on cached KeyObjects (ADR 0006,
 * "Consequences"; ADR 0007). jose still parses keys (`importJWK`: alg/key compatibility, public
 * or private) and resolves them from JWKS; only the signature check itself moves off jose's
 * asynchronous WebCrypto path, which measured at under half the synchronous floor.
 */
interface AlgParams {
  digest: string | null;
  /** asymmetricKeyType the key must have, and its curve for EC keys. */
  keyType: 'ec' | 'rsa' | 'ed25519';
  curve?: string;
  pss?: number; // salt length in bytes for PS*
}

const ALGS: Record<string, AlgParams> = {
  ES256: { digest: 'sha256', keyType: 'ec', curve: 'prime256v1' },
  ES384: { digest: 'sha384', keyType: 'ec', curve: 'secp384r1' },
  ES512: { digest: 'sha512', keyType: 'ec', curve: 'secp521r1' },
  RS256: { digest: 'sha256', keyType: 'rsa' },
  RS384: { digest: 'sha384', keyType: 'rsa' },
  RS512: { digest: 'sha512', keyType: 'rsa' },
  PS256: { digest: 'sha256', keyType: 'rsa', pss: 32 },
  PS384: { digest: 'sha384', keyType: 'rsa', pss: 48 },
  PS512: { digest: 'sha512', keyType: 'rsa', pss: 64 },
  Ed25519: { digest: null, keyType: 'ed25519' },
  EdDSA: { digest: null, keyType: 'ed25519' },
};

/** jose's `typ` comparison: case-insensitive, with or without the `application/` prefix. */
export const isTyp = (value: unknown, expected: string): boolean =>
  typeof value === 'string' && value.toLowerCase().replace(/^application\//, '') === expected;

/** `crit` (and `b64`, which needs it): extensions none of our JWTs use, so never understood. */
export const hasCriticalExtensions = (header: { crit?: unknown; b64?: unknown }): boolean =>
  header.crit !== undefined || header.b64 !== undefined;

/** Whether `alg` is one this module verifies (asymmetric only: never `none`, never a MAC). */
export const isSupportedJwsAlg = (alg: unknown): alg is string =>
  typeof alg === 'string' && Object.hasOwn(ALGS, alg);

/**
 * True when `key` may verify `alg`: the key type and curve match the algorithm (no algorithm
 * confusion) and RSA keys have at least 2048 bits (RFC 7518 §3.3), as jose requires.
 */
export function keyFitsAlg(key: KeyObject, alg: string): boolean {
  const params = ALGS[alg];
  if (!params || key.type !== 'public') {
    return false;
  }
  if (key.asymmetricKeyType !== params.keyType) {
    return false;
  }
  const details = key.asymmetricKeyDetails ?? {};
  if (params.keyType === 'ec') {
    return details.namedCurve === params.curve;
  }
  if (params.keyType === 'rsa') {
    return (details.modulusLength ?? 0) >= 2048;
  }
  return true;
}

/**
 * Checks the signature of a compact JWS (`header.payload.signature`) made with `alg` by `key`.
 * The caller has already checked `keyFitsAlg(key, alg)`. Never throws: a malformed signature is
 * simply not valid.
 */
export function verifyCompactSignature(token: string, alg: string, key: KeyObject): boolean {
  const params = ALGS[alg];
  const lastDot = token.lastIndexOf('.');
  if (!params || lastDot <= 0) {
    return false;
  }
  try {
    const data = Buffer.from(token.slice(0, lastDot));
    const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
    if (params.keyType === 'ec') {
      return verify(params.digest, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    if (params.pss !== undefined) {
      return verify(
        params.digest,
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.pss },
        signature,
      );
    }
    return verify(params.digest, data, key, signature);
  } catch {
    return false;
  }
}

/** A public key object from a JWK for `alg`, through jose's import (alg/key checks), or undefined. */
export async function importPublicJwk(jwk: JWK, alg: string): Promise<KeyObject | undefined> {
  const imported = await importJWK(jwk, alg);
  if (imported instanceof Uint8Array) {
    return undefined;
  }
  const key = imported instanceof KeyObject ? imported : KeyObject.from(imported);
  return keyFitsAlg(key, alg) ? key : undefined;
}
