import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { JwsSigner } from './jws-signer.js';
import { generateKeyPair, privateKeyFromDer, SIGNING_ALGS } from './key-material.js';

describe('JwsSigner (node:crypto compact JWS)', () => {
  it.each(SIGNING_ALGS)(
    'R-AT-2: %s tokens verify with jose against the published public JWK',
    async (alg) => {
      const pair = await generateKeyPair(alg);
      expect(pair.publicJwk).toMatchObject({ kid: pair.kid, alg, use: 'sig' });
      expect(pair.publicJwk).not.toHaveProperty('d');
      const signer = new JwsSigner(pair.kid, alg, privateKeyFromDer(pair.privateDer), 'at+jwt');
      const token = signer.sign({ sub: 'o', iss: 'https://as', exp: Math.floor(Date.now() / 1000) + 60 });
      expect(decodeProtectedHeader(token)).toEqual({ alg, typ: 'at+jwt', kid: pair.kid });
      const { payload } = await jwtVerify(token, await importJWK(pair.publicJwk, alg), {
        algorithms: [alg],
        typ: 'at+jwt',
        issuer: 'https://as',
      });
      expect(payload.sub).toBe('o');
    },
  );

  it('R-SEC-9: a signature from another key of the same algorithm does not verify', async () => {
    const a = await generateKeyPair('ES256');
    const b = await generateKeyPair('ES256');
    const token = new JwsSigner(a.kid, 'ES256', privateKeyFromDer(b.privateDer), 'at+jwt').sign({ sub: 'x' });
    await expect(jwtVerify(token, await importJWK(a.publicJwk, 'ES256'))).rejects.toThrow();
  });
});
