import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { accessTokenHash } from '../../src/dpop/dpop-proof.js';

export interface DpopKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
  jkt: string;
}

export async function dpopKey(alg = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return {
    privateKey,
    publicKey,
    publicJwk,
    privateJwk: await exportJWK(privateKey),
    jkt: await calculateJwkThumbprint(publicJwk, 'sha256'),
  };
}

export interface ProofOptions {
  alg?: string;
  typ?: string;
  /** Replaces the header's jwk (e.g. with the private key). */
  jwk?: JWK;
  claims?: JWTPayload;
  accessToken?: string;
}

/** A hand-built DPoP proof (RFC 9449 §4.2), for the negative matrix. */
export function dpopProof(
  key: DpopKey,
  htm: string,
  htu: string,
  options: ProofOptions = {},
): Promise<string> {
  const payload: JWTPayload = {
    jti: randomUUID(),
    htm,
    htu,
    iat: Math.floor(Date.now() / 1000),
    ...(options.accessToken ? { ath: accessTokenHash(options.accessToken) } : {}),
    ...options.claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({
      alg: options.alg ?? 'ES256',
      typ: options.typ ?? 'dpop+jwt',
      jwk: options.jwk ?? key.publicJwk,
    })
    .sign(key.privateKey);
}
