// What one owner login costs Tessera in password hashing: argon2id verify with Tessera's
// PASSWORD_HASH_* parameters (their defaults unless set; ADR 0005). Run pinned to the server core by run.mjs; prints JSON.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../package.json', import.meta.url)); // Tessera's own argon2
const argon2 = require('argon2');
const hash = await argon2.hash('bench owner password 0123456789', {
  type: argon2.argon2id,
  memoryCost: Number(process.env.PASSWORD_HASH_MEMORY_KIB ?? 19456),
  timeCost: Number(process.env.PASSWORD_HASH_TIME_COST ?? 2),
  parallelism: Number(process.env.PASSWORD_HASH_PARALLELISM ?? 1),
});
const n = Number(process.argv[2] ?? 30);
await argon2.verify(hash, 'bench owner password 0123456789');
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  await argon2.verify(hash, 'bench owner password 0123456789');
}
const ms = (performance.now() - t0) / n;
process.stdout.write(
  JSON.stringify({ verifyMs: +ms.toFixed(2), params: hash.split('$').slice(1, 4).join('$') }) + '\n',
);
