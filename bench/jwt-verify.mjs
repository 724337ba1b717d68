// Micro-benchmark (issue 16 L14): verifying one RFC 9068 access token the way the resource
// server does (src/resources/resource-server/jwt-access-token.verifier.ts: jose jwtVerify with a
// JWKS key resolver), against jose with the key given directly, @nestjs/jwt (jsonwebtoken,
// synchronous node:crypto) and a hand-written node:crypto floor (split, verify, JSON.parse; no
// claim checks). Usage: node bench/jwt-verify.mjs [iterations per round]
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { createLocalJWKSet, exportJWK, jwtVerify } from 'jose';

const iterations = Number(process.argv[2] ?? 5000);
// @nestjs/jwt is not a Tessera dependency (docs/adr/0006): measured only where installed.
const JwtService = await import('@nestjs/jwt').then(
  (m) => m.JwtService,
  () => (console.log('@nestjs/jwt not installed: skipping its rows'), undefined),
);
const ISS = 'https://as.example';
const AUD = 'https://api.example';

function token(alg, privateKey) {
  const iat = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg, typ: 'at+jwt', kid: 'k1' })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({
      iss: ISS,
      sub: 'owner-42',
      aud: AUD,
      exp: iat + 3600,
      iat,
      jti: randomBytes(16).toString('base64url'),
      client_id: 'client-1',
      scope: 'read write',
    }),
  ).toString('base64url');
  const input = `${header}.${payload}`;
  const key = alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey;
  return `${input}.${sign(alg === 'EdDSA' ? null : 'sha256', Buffer.from(input), key).toString('base64url')}`;
}

// Best of 3 rounds (the box is shared); wall time and process CPU time (all threads, so work
// jose hands to the libuv pool via WebCrypto is counted too) per verification. Ratios use CPU
// time: on a shared machine wall time swings far more than CPU time.
async function measure(name, fn) {
  for (let i = 0; i < 1000; i++) await fn(); // warm-up
  let wall = Infinity;
  let cpu = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < iterations; i++) await fn();
    const used = process.cpuUsage(cpuStart);
    wall = Math.min(wall, Number(process.hrtime.bigint() - start) / 1000 / iterations);
    cpu = Math.min(cpu, (used.user + used.system) / iterations);
  }
  console.log(`${name.padEnd(34)} wall ${wall.toFixed(1).padStart(7)} µs   cpu ${cpu.toFixed(1).padStart(7)} µs`);
  return cpu;
}

const pairs = {
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  EdDSA: generateKeyPairSync('ed25519'),
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
};
for (const [alg, { privateKey, publicKey }] of Object.entries(pairs)) {
  const jwt = token(alg, privateKey);
  const [h, p, s] = jwt.split('.');
  const floorKey = alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey;
  const floor = await measure(`${alg} node:crypto floor`, async () => {
    if (!verify(alg === 'EdDSA' ? null : 'sha256', Buffer.from(`${h}.${p}`), floorKey, Buffer.from(s, 'base64url'))) {
      throw new Error('bad signature');
    }
    return JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  });
  const options = { issuer: ISS, audience: AUD, algorithms: [alg], typ: 'at+jwt', requiredClaims: ['iss', 'aud', 'exp', 'sub', 'iat'] };
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg }] });
  const viaJwks = await measure(`${alg} jose + JWKS (resource server)`, () => jwtVerify(jwt, jwks, options));
  const keyObject = createPublicKey(publicKey.export({ format: 'pem', type: 'spki' }));
  const direct = await measure(`${alg} jose, KeyObject`, () => jwtVerify(jwt, keyObject, options));
  let nest = NaN;
  if (alg !== 'EdDSA' && JwtService) {
    // jsonwebtoken 9 (under @nestjs/jwt) has no EdDSA, and does not check typ.
    const service = new JwtService({ publicKey });
    nest = await measure(`${alg} @nestjs/jwt (KeyObject)`, async () =>
      service.verify(jwt, { algorithms: [alg], issuer: ISS, audience: AUD }),
    );
  }
  console.log(
    `${alg}: CPU share of the floor — jose+JWKS ${(floor / viaJwks).toFixed(2)}×, jose direct ${(floor / direct).toFixed(2)}×, @nestjs/jwt ${(floor / nest).toFixed(2)}×`,
  );
}
