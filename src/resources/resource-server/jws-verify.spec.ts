import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { CompactSign, exportJWK } from 'jose';
import { DPOP_ALGORITHMS } from './dpop-proof.js';
import { importPublicJwk, isSupportedJwsAlg, keyFitsAlg, verifyCompactSignature } from './jws-verify.js';

const pairs = {
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  ES512: generateKeyPairSync('ec', { namedCurve: 'P-521' }),
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  EdDSA: generateKeyPairSync('ed25519'),
};

async function jose(alg: string, privateKey: KeyObject): Promise<string> {
  return new CompactSign(Buffer.from('{"a":1}')).setProtectedHeader({ alg }).sign(privateKey);
}

describe('synchronous JWS signature checks (jws-verify)', () => {
  // Every algorithm of dpop_signing_alg_values_supported (DPOP_ALGORITHMS).
  it.each([
    ['ES256', pairs.ES256],
    ['ES384', pairs.ES384],
    ['ES512', pairs.ES512],
    ['RS256', pairs.RS256],
    ['PS256', pairs.RS256],
    ['PS384', pairs.RS256],
    ['PS512', pairs.RS256],
    ['EdDSA', pairs.EdDSA],
    ['Ed25519', pairs.EdDSA],
  ] as const)('R-DPOP-2: verifies what jose signs with %s, and refuses it tampered', async (alg, pair) => {
    const token = await jose(alg, pair.privateKey);
    expect(keyFitsAlg(pair.publicKey, alg)).toBe(true);
    expect(verifyCompactSignature(token, alg, pair.publicKey)).toBe(true);
    const [h, p, s] = token.split('.');
    const otherPayload = Buffer.from('{"a":2}').toString('base64url');
    expect(verifyCompactSignature(`${h}.${otherPayload}.${s}`, alg, pair.publicKey)).toBe(false);
    expect(verifyCompactSignature(`${h}.${p}.${s!.slice(0, -4)}AAAA`, alg, pair.publicKey)).toBe(false);
    expect(verifyCompactSignature(`${h}.${p}.`, alg, pair.publicKey)).toBe(false);
  });

  it('R-DPOP-2: every advertised DPoP algorithm is one this module verifies', () => {
    for (const alg of DPOP_ALGORITHMS) {
      expect(isSupportedJwsAlg(alg)).toBe(true);
    }
  });

  it('R-DPOP-2: a signature by another key of the same type is refused', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(
      verifyCompactSignature(await jose('ES256', other.privateKey), 'ES256', pairs.ES256.publicKey),
    ).toBe(false);
  });

  it('R-DPOP-2: keys never fit an algorithm of another family, curve or size (no algorithm confusion)', () => {
    expect(keyFitsAlg(pairs.RS256.publicKey, 'ES256')).toBe(false);
    expect(keyFitsAlg(pairs.ES256.publicKey, 'ES384')).toBe(false);
    expect(keyFitsAlg(pairs.ES384.publicKey, 'ES256')).toBe(false);
    expect(keyFitsAlg(pairs.ES256.publicKey, 'EdDSA')).toBe(false);
    expect(keyFitsAlg(pairs.EdDSA.publicKey, 'RS256')).toBe(false);
    expect(keyFitsAlg(pairs.ES256.privateKey, 'ES256')).toBe(false);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(keyFitsAlg(small.publicKey, 'RS256')).toBe(false);
  });

  it('R-DPOP-2: none and MACs are not supported algorithms', () => {
    for (const alg of ['none', 'HS256', 'HS512', 'dir', '', undefined, 'toString', '__proto__']) {
      expect(isSupportedJwsAlg(alg)).toBe(false);
    }
    expect(verifyCompactSignature('a.b.c', 'HS256', pairs.ES256.publicKey)).toBe(false);
  });

  it('R-DPOP-2: PS256 needs the PSS padding, RS256 the PKCS#1 one', () => {
    const data = Buffer.from('x.y');
    const pss = sign('sha256', data, {
      key: pairs.RS256.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    }).toString('base64url');
    expect(verifyCompactSignature(`x.y.${pss}`, 'PS256', pairs.RS256.publicKey)).toBe(true);
    expect(verifyCompactSignature(`x.y.${pss}`, 'RS256', pairs.RS256.publicKey)).toBe(false);
  });

  it('R-DPOP-2: importPublicJwk takes public JWKs and refuses private or mismatched ones', async () => {
    const publicJwk = await exportJWK(pairs.ES256.publicKey);
    const key = await importPublicJwk(publicJwk, 'ES256');
    expect(key?.export({ format: 'jwk' })).toEqual(pairs.ES256.publicKey.export({ format: 'jwk' }));
    expect(await importPublicJwk(await exportJWK(pairs.ES256.privateKey), 'ES256')).toBeUndefined();
    await expect(importPublicJwk(publicJwk, 'RS256')).rejects.toThrow();
    expect(await importPublicJwk({ kty: 'oct', k: 'c2VjcmV0' }, 'HS256')).toBeUndefined();
  });
});
