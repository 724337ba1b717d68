#!/usr/bin/env node
// Container files against the configuration schema (issue 17 item 7), no container daemon needed.
//   node .ci/container-env.mjs          check: every variable the Dockerfile (ENV, HEALTHCHECK) and
//                                        compose.yaml (tessera service) set or read exists in
//                                        src/config/env.schema.ts, and compose sets every secret that
//                                        production requires (src/config/production-secrets.ts)
//   node .ci/container-env.mjs --env    print the runtime environment the image and compose give
//                                        (Dockerfile ENV, then compose's tessera environment with
//                                        ${VAR:-default} / ${VAR:?msg} resolved from this process's
//                                        environment), one NAME=value per line
//   node .ci/container-env.mjs --healthcheck   print the HEALTHCHECK's `node -e` script, to run it as is
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (file) => readFileSync(root + file, 'utf8');
const fail = (msg) => {
  console.error(`container-env: ${msg}`);
  process.exit(1);
};

// Not configuration of Tessera, but of the runtime: Node's mode and flags, and glibc's allocator.
const RUNTIME_VARS = new Set(['NODE_ENV', 'MALLOC_ARENA_MAX', 'NODE_OPTIONS']);

const schema = new Set(
  [...read('src/config/env.schema.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]*)[?!]?\s*[:=]/gm)].map((m) => m[1]),
);
if (schema.size < 20)
  fail(`found only ${schema.size} variables in src/config/env.schema.ts: parser out of date`);

const productionSecrets = [
  ...read('src/config/production-secrets.ts').matchAll(/\['([A-Z][A-Z0-9_]*)', env\.\1,/g),
].map((m) => m[1]);
if (productionSecrets.length === 0) fail('no production secret found in src/config/production-secrets.ts');

// Dockerfile: the runtime stage's ENV (with line continuations) and the HEALTHCHECK's process.env reads.
const dockerfile = read('Dockerfile').replace(/\\\n/g, ' ');
const stages = dockerfile.split(/^FROM /m);
const runtime = stages[stages.length - 1];
const dockerEnv = new Map();
for (const line of runtime.split('\n').filter((l) => l.startsWith('ENV '))) {
  for (const m of line.slice(4).matchAll(/([A-Z][A-Z0-9_]*)=(\S*)/g)) dockerEnv.set(m[1], m[2]);
}
const healthcheck =
  runtime.split('\n').find((l) => l.startsWith('HEALTHCHECK ')) ??
  fail('no HEALTHCHECK in the runtime stage');
const healthVars = [...healthcheck.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]);

// compose.yaml: the tessera service's environment map (block style, as the file is written).
const composeEnv = new Map();
{
  const lines = read('compose.yaml').split('\n');
  const svc = lines.indexOf('  tessera:');
  if (svc < 0) fail('compose.yaml: no tessera service');
  let i = lines.findIndex((l, n) => n > svc && l === '    environment:');
  if (i < 0) fail('compose.yaml: the tessera service has no environment block');
  for (i += 1; i < lines.length && /^ {6}\S/.test(lines[i]); i++) {
    const m = /^ {6}([A-Za-z_][A-Za-z0-9_]*):\s*(.*)$/.exec(lines[i]);
    if (!m) fail(`compose.yaml: cannot read environment line "${lines[i].trim()}"`);
    composeEnv.set(m[1], m[2].replace(/^"(.*)"$/, '$1'));
  }
}

if (process.argv[2] === '--healthcheck') {
  const argv = JSON.parse(
    /CMD (\[.*\])\s*$/.exec(healthcheck)?.[1] ?? fail('HEALTHCHECK: expected CMD ["node", "-e", …]'),
  );
  if (argv.length !== 3 || argv[0] !== 'node' || argv[1] !== '-e')
    fail('HEALTHCHECK: expected CMD ["node", "-e", script]');
  console.log(argv[2]);
  process.exit(0);
}

if (process.argv[2] === '--env') {
  const resolve = (value) =>
    value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g, (_, name, op, arg) => {
      const v = process.env[name];
      if (v) return v;
      if (op === '?') fail(`compose.yaml needs ${name}: ${arg}`);
      return op === '-' ? arg : '';
    });
  const out = new Map(dockerEnv);
  for (const [k, v] of composeEnv) out.set(k, resolve(v));
  for (const [k, v] of out) console.log(`${k}=${v}`);
  process.exit(0);
}

const problems = [];
for (const [where, names] of [
  ['Dockerfile ENV', [...dockerEnv.keys()]],
  ['Dockerfile HEALTHCHECK', healthVars],
  ['compose.yaml tessera environment', [...composeEnv.keys()]],
]) {
  for (const name of names) {
    if (!schema.has(name) && !RUNTIME_VARS.has(name))
      problems.push(`${where}: ${name} is not in src/config/env.schema.ts`);
  }
}
const composeProduction = (composeEnv.get('NODE_ENV') ?? dockerEnv.get('NODE_ENV')) === 'production';
if (!composeProduction) problems.push('compose.yaml/Dockerfile: NODE_ENV=production expected');
for (const name of productionSecrets) {
  if (!composeEnv.has(name)) problems.push(`compose.yaml: ${name} is required in production but not set`);
}
if (healthVars.length === 0 || !healthcheck.includes('/health/ready'))
  problems.push('Dockerfile HEALTHCHECK: expected /health/ready on the admin port');
if (problems.length > 0) fail(problems.join('\n  '));
console.log(
  `container-env: ${dockerEnv.size + healthVars.length + composeEnv.size} variable uses checked against ${schema.size} schema variables; production secrets set by compose: ${productionSecrets.join(', ')}`,
);
