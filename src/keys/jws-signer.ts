import { sign, type KeyObject } from 'node:crypto';
import type { SigningAlg } from './signing-key.entity.js';

/**
 * Compact JWS signing with node:crypto directly: the fastest option measured
 * (docs/keys.md). The protected header is encoded once per key. Verification: jose in this server's
 * own introspection; node:crypto on cached key objects at resource servers (ADR 0007).
 */
export class JwsSigner {
  private readonly encodedHeader: string;
  private readonly digest: string | null;
  private readonly key: KeyObject | { key: KeyObject; dsaEncoding: 'ieee-p1363' };
  private readonly typed = new Map<string, JwsSigner>();

  constructor(
    readonly kid: string,
    readonly alg: SigningAlg,
    private readonly privateKey: KeyObject,
    readonly typ: string,
  ) {
    this.encodedHeader = Buffer.from(JSON.stringify({ alg, typ, kid })).toString('base64url');
    this.digest = alg === 'EdDSA' ? null : 'sha256';
    // RFC 7518 §3.4: ECDSA signatures are the raw R || S concatenation, not DER.
    this.key = alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey;
  }

  /** The same key with another `typ` header (ID tokens `JWT`, logout tokens `logout+jwt`). */
  withType(typ: string): JwsSigner {
    if (typ === this.typ) {
      return this;
    }
    let signer = this.typed.get(typ);
    if (!signer) {
      signer = new JwsSigner(this.kid, this.alg, this.privateKey, typ);
      this.typed.set(typ, signer);
    }
    return signer;
  }

  sign(payload: object): string {
    const input = `${this.encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const signature = sign(this.digest, Buffer.from(input), this.key);
    return `${input}.${signature.toString('base64url')}`;
  }
}
