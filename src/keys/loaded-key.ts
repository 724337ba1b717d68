import type { KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { KeyEncryption } from '../common/crypto/key-encryption.js';
import { JwsSigner } from './jws-signer.js';
import { privateKeyFromDer, publicKeyFromJwk } from './key-material.js';
import type { SigningAlg, SigningKeyEntity } from './signing-key.entity.js';
import { KeyDecryptionError } from '../startup/exit-codes.js';

export type KeyState = 'pending' | 'active' | 'retired';

/** A signing key as KeysService holds it in memory. Instants are epoch ms. */
export interface LoadedKey {
  kid: string;
  alg: SigningAlg;
  generation: number;
  /** The RS256 key of its generation, next to a primary key of another algorithm. */
  companion: boolean;
  publicJwk: JWK;
  publicKey: KeyObject;
  /** Only for keys that may still sign (not retired): private keys are decrypted only then. */
  signer: JwsSigner | null;
  createdAt: number;
  activatesAt: number;
  retiresAt: number | null;
  expiresAt: number | null;
}

/** Builds the in-memory key from its row, reusing already decrypted material. */
export function loadKey(
  row: SigningKeyEntity,
  before: LoadedKey | undefined,
  now: number,
  encryption: KeyEncryption,
): LoadedKey {
  const retiresAt = row.retiresAt?.getTime() ?? null;
  const mayStillSign = retiresAt === null || retiresAt > now;
  let signer = mayStillSign ? (before?.signer ?? null) : null;
  if (mayStillSign && signer === null) {
    let der: Buffer;
    try {
      der = encryption.decrypt(row.privateKeyEncrypted, row.kid);
    } catch {
      throw new KeyDecryptionError(row.kid);
    }
    signer = new JwsSigner(row.kid, row.alg, privateKeyFromDer(der), 'at+jwt');
  }
  return {
    kid: row.kid,
    alg: row.alg,
    generation: row.generation,
    companion: row.companion,
    publicJwk: row.publicJwk,
    publicKey: before?.publicKey ?? publicKeyFromJwk(row.publicJwk),
    signer,
    createdAt: row.createdAt.getTime(),
    activatesAt: row.activatesAt.getTime(),
    retiresAt,
    expiresAt: row.expiresAt?.getTime() ?? null,
  };
}

/**
 * The active signer: the newest generation whose activation has passed. Valid `until` the
 * next pending key activates, so the hot path re-selects only then.
 */
export function selectActive(
  keys: readonly LoadedKey[],
  now: number,
  accept: (key: LoadedKey) => boolean = (key) => !key.companion,
): { signer: JwsSigner | null; until: number } {
  let chosen: LoadedKey | undefined;
  let until = Number.POSITIVE_INFINITY;
  for (const key of keys) {
    if (!accept(key)) {
      continue;
    }
    if (key.activatesAt > now) {
      until = Math.min(until, key.activatesAt);
    } else if (key.signer && (!chosen || key.generation > chosen.generation)) {
      chosen = key;
    }
  }
  return { signer: chosen?.signer ?? null, until };
}
