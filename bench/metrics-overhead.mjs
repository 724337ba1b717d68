// Cost of the Prometheus metrics (issue #17 item 1) on the benchmark's client_credentials → JWT case:
// the production build on PostgreSQL + Redis, started alternately with METRICS_ENABLED=true and false
// (A B A B …, one server at a time, server on core 0 and load on core 1 when taskset exists), the same
// client and request for both; median req/s per setting. Needs `npm run build` first.
//   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/tessera_ops node bench/metrics-overhead.mjs
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/tessera_ops';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/5';
const seconds = Number(process.env.BENCH_DURATION ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ADMIN = 'metrics-overhead-admin-token-0123456789abcdef';
const taskset = spawnSync('taskset', ['--version']).status === 0;

function start(metrics) {
  const args = [join(root, 'dist/src/main.js')];
  const cmd = taskset ? 'taskset' : process.execPath;
  const child = spawn(cmd, taskset ? ['-c', '0', process.execPath, ...args] : args, {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: pgUrl,
      REDIS_URL: redisUrl,
      PORT: '4410',
      ADMIN_PORT: '4411',
      HOST: '127.0.0.1',
      ISSUER: 'http://127.0.0.1:4410',
      ADMIN_TOKEN: ADMIN,
      KEY_ENCRYPTION_SECRET: 'metrics-overhead-key-secret-0123456789abcdef',
      COOKIE_SECRET: 'metrics-overhead-cookie-secret-0123456789abcdef-0123',
      LOG_LEVEL: 'error',
      METRICS_ENABLED: String(metrics),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  return new Promise((resolve, reject) => {
    const t = setInterval(async () => {
      try {
        const res = await fetch('http://127.0.0.1:4411/health/ready');
        if (res.ok) {
          clearInterval(t);
          resolve(child);
        }
      } catch {
        /* not yet */
      }
    }, 200);
    child.on('exit', (code) => {
      clearInterval(t);
      reject(new Error(`server exited ${code}: ${out}`));
    });
  });
}

async function stop(child) {
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

async function client() {
  const res = await fetch('http://127.0.0.1:4411/admin/clients', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'metrics overhead', grant_types: ['client_credentials'] }),
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(JSON.stringify(body));
  return `Basic ${Buffer.from(`${encodeURIComponent(body.client_id)}:${encodeURIComponent(body.client_secret)}`).toString('base64')}`;
}

function load(auth) {
  // Runs in a child on core 1 so the load generator does not share the server's core.
  const script = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: ${connections} });
    const body = 'grant_type=client_credentials';
    let ok = 0, bad = 0; const until = Date.now() + ${seconds * 1000};
    function one(done) {
      const req = http.request({ host: '127.0.0.1', port: 4410, path: '/token', method: 'POST', agent,
        headers: { authorization: ${JSON.stringify(auth)}, 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length } },
        (res) => { res.resume(); res.on('end', () => { res.statusCode === 200 ? ok++ : bad++; Date.now() < until ? one(done) : done(); }); });
      req.on('error', () => { bad++; Date.now() < until ? one(done) : done(); });
      req.end(body);
    }
    let left = ${connections};
    for (let i = 0; i < ${connections}; i++) one(() => { if (--left === 0) { console.log(JSON.stringify({ ok, bad })); process.exit(0); } });`;
  const r = spawnSync(taskset ? 'taskset' : process.execPath, taskset ? ['-c', '1', process.execPath, '-e', script] : ['-e', script], {
    encoding: 'utf8',
  });
  const { ok, bad } = JSON.parse(r.stdout.trim().split('\n').pop());
  return { rps: ok / seconds, bad };
}

const results = { true: [], false: [] };
for (let round = 0; round < rounds; round++) {
  for (const metrics of round % 2 === 0 ? [true, false] : [false, true]) {
    const server = await start(metrics);
    try {
      const auth = await client();
      load(auth); // warm-up (same duration, unmeasured)
      const { rps, bad } = load(auth);
      results[metrics].push(rps);
      process.stdout.write(`round ${round + 1} metrics=${metrics}: ${rps.toFixed(0)} req/s, ${bad} errors\n`);
    } finally {
      await stop(server);
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const on = median(results.true);
const off = median(results.false);
process.stdout.write(
  `median: metrics on ${on.toFixed(0)} req/s, off ${off.toFixed(0)} req/s, cost ${(((off - on) / off) * 100).toFixed(1)} %\n`,
);
