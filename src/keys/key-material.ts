import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { SigningAlg } from './signing-key.entity.js';

/** Asymmetric algorithms we sign with and accept on our own tokens (R-SEC-9 allow-list). */
export const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'EdDSA', 'RS256'];

export interface GeneratedKeyPair {
  kid: string;
  privateDer: Buffer;
  publicJwk: JWK;
}

function generate(alg: SigningAlg): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (alg) {
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'EdDSA':
      return generateKeyPairSync('ed25519');
    case 'RS256':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
  }
}

/** A new key pair; kid = RFC 7638 thumbprint of the public JWK. */
export async function generateKeyPair(alg: SigningAlg): Promise<GeneratedKeyPair> {
  const { privateKey, publicKey } = generate(alg);
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return {
    kid,
    privateDer: privateKey.export({ format: 'der', type: 'pkcs8' }),
    publicJwk: { ...jwk, kid, alg, use: 'sig' },
  };
}

export function privateKeyFromDer(der: Buffer): KeyObject {
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

export function publicKeyFromJwk(jwk: Record<string, unknown>): KeyObject {
  return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
}
