// DPoP proofs (RFC 9449 §4.2) for the benchmark's load generator and checks: ES256 signed with
// node:crypto (synchronous, no WebCrypto round trip), so that the proof costs the load core as
// little as possible. One key per connection, a new jti and iat for every proof.
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';

const b64u = (data) => Buffer.from(data).toString('base64url');

/** An ES256 proof key: the private KeyObject, its public JWK, its RFC 7638 thumbprint, the encoded header. */
export function dpopKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const jwk = { kty, crv, x, y };
  // RFC 7638: required members only, in lexicographic order, no whitespace.
  const jkt = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
  const header = b64u(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk }));
  return { privateKey, jwk, jkt, header };
}

/** A fresh proof for `htm htu` (new jti, iat now). */
export function dpopProof(key, htm, htu) {
  const payload = b64u(JSON.stringify({ jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000) }));
  const input = `${key.header}.${payload}`;
  const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
