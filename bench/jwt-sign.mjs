// Micro-benchmark: signing one RFC 9068 access token with node:crypto (what Tessera uses),
// @nestjs/jwt (jsonwebtoken) and jose. Usage: node bench/jwt-sign.mjs [iterations per round]
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { SignJWT } from 'jose';

const iterations = Number(process.argv[2] ?? 10000);
// @nestjs/jwt is not a Tessera dependency (docs/adr/0006): measured only where installed.
const JwtService = await import('@nestjs/jwt').then(
  (m) => m.JwtService,
  () => (console.log('@nestjs/jwt not installed: skipping its rows'), undefined),
);
const claims = () => {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://as.example',
    sub: 'owner-42',
    aud: 'https://api.example',
    exp: iat + 600,
    iat,
    jti: randomBytes(16).toString('base64url'),
    client_id: 'client-1',
    scope: 'read write',
  };
};

function nodeSigner(alg, privateKey) {
  const header = Buffer.from(JSON.stringify({ alg, typ: 'at+jwt', kid: 'k1' })).toString('base64url');
  const key = alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey;
  const digest = alg === 'EdDSA' ? null : 'sha256';
  return async (payload) => {
    const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${input}.${sign(digest, Buffer.from(input), key).toString('base64url')}`;
  };
}

// Best of 3 rounds (the box is shared); wall time and process CPU time (all threads, so
// work jose hands to the libuv pool via WebCrypto is counted too) per token.
async function measure(name, fn) {
  for (let i = 0; i < 2000; i++) await fn(claims()); // warm-up
  let wall = Infinity;
  let cpu = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < iterations; i++) await fn(claims());
    const used = process.cpuUsage(cpuStart);
    wall = Math.min(wall, Number(process.hrtime.bigint() - start) / 1000 / iterations);
    cpu = Math.min(cpu, (used.user + used.system) / iterations);
  }
  console.log(
    `${name.padEnd(30)} wall ${wall.toFixed(1).padStart(7)} µs   cpu ${cpu.toFixed(1).padStart(7)} µs`,
  );
}

const pairs = {
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  EdDSA: generateKeyPairSync('ed25519'),
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
};
for (const [alg, { privateKey }] of Object.entries(pairs)) {
  await measure(`${alg} node:crypto`, nodeSigner(alg, privateKey));
  if (alg !== 'EdDSA' && JwtService) {
    // jsonwebtoken 9 (under @nestjs/jwt) has no EdDSA.
    const options = { algorithm: alg, header: { alg, typ: 'at+jwt', kid: 'k1' } };
    const pem = new JwtService({ privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }) });
    await measure(`${alg} @nestjs/jwt (PEM)`, async (p) => pem.sign(p, options));
    // A KeyObject avoids re-parsing the PEM on every call.
    const keyObject = new JwtService({ privateKey });
    await measure(`${alg} @nestjs/jwt (KeyObject)`, async (p) => keyObject.sign(p, options));
  }
  await measure(`${alg} jose`, (p) =>
    new SignJWT(p).setProtectedHeader({ alg, typ: 'at+jwt', kid: 'k1' }).sign(privateKey),
  );
}
