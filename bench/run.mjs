// Side-by-side benchmark: Tessera (production build, PostgreSQL + Redis) against panva/oidc-provider
// (in-memory adapter), plus node:http floors, in one run on one machine. See README "Performance".
//   npm run bench            (from the repository root)
//   BENCH_DURATION=10 BENCH_ROUNDS=3 BENCH_CONNECTIONS=32 npm run bench
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMs, hasTaskset, rssMb, runLoad, startNode } from './lib/processes.mjs';
import { pinStores } from './lib/stores.mjs';
import { imageRuntimeEnv } from './lib/image-env.mjs';
import { setUpPeer, setUpTessera } from './lib/fixtures.mjs';
import { cases } from './lib/cases.mjs';
import { applyCeiling, evaluateTargets, renderTargets, summarize } from './lib/report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const duration = Number(process.env.BENCH_DURATION ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const warmup = Number(process.env.BENCH_WARMUP ?? 3);
const pgBase = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/1';
const dbName = process.env.BENCH_DB ?? 'tessera_bench';
if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) {
  throw new Error(`BENCH_DB must be a plain PostgreSQL name, not ${dbName}`);
}
// Ports: Tessera BASE (admin BASE+1), oidc-provider BASE+100, floors BASE+200..202; the cluster
// case's servers BASE+10/11 (2 processes) and BASE+20/21 (1 process). Two runs on one machine need
// different BENCH_PORT_BASE, BENCH_DB and BENCH_REDIS_URL (db number).
const portBase = Number(process.env.BENCH_PORT_BASE ?? 4100);
const PORTS = {
  tessera: portBase,
  tesseraAdmin: portBase + 1,
  cluster: portBase + 10,
  clusterAdmin: portBase + 11,
  single: portBase + 20,
  singleAdmin: portBase + 21,
  peer: portBase + 100,
  floorJson: portBase + 200,
  floorSign: portBase + 201,
  floorVerify: portBase + 202,
};
const local = (port) => `http://127.0.0.1:${port}`;
const SERVER_CORE = 0;
const LOAD_CORE = 1;

const idleSeconds = Number(process.env.BENCH_IDLE ?? 5);
// Tessera runs as its container image runs it (MALLOC_ARENA_MAX, NODE_OPTIONS from the Dockerfile); the
// peer and the floors get MALLOC_ARENA_MAX=2 too (bench/lib/processes.mjs) and Node's defaults otherwise.
const imageEnv = imageRuntimeEnv(join(root, 'Dockerfile'));
const imageEnvNote =
  Object.entries(imageEnv)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ') || 'none';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** A target's server processes (the cluster case's target has several). */
const pidsOf = (target) => target.pids ?? [target.proc.child.pid];
const rssOf = (target) => pidsOf(target).reduce((a, pid) => a + rssMb(pid), 0);
const cpuOf = (target) => pidsOf(target).reduce((a, pid) => a + cpuMs(pid), 0);

function log(msg) {
  process.stdout.write(`${msg}\n`);
}

/** Every server this run started, stopped on success and on failure alike (by pid, never by name). */
const started = [];
let stores; // pinStores() result: released in stopAll()
let storesNote = 'PostgreSQL and Redis not pinned (no taskset)';
function stopAll() {
  stores?.release();
  stores = undefined;
  const exits = [];
  for (const p of started.splice(0)) {
    if (p.child.exitCode === null) {
      exits.push(new Promise((resolve) => p.child.once('exit', resolve)));
      p.child.kill('SIGTERM');
    }
  }
  // Waits (at most 15 s) so that Tessera can write its CPU profile on the way out.
  return Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const command = `${[
  'BENCH_DURATION',
  'BENCH_ROUNDS',
  'BENCH_CONNECTIONS',
  'BENCH_WARMUP',
  'BENCH_CASES',
  'BENCH_PROFILE',
  'BENCH_MERGE',
  'BENCH_PIN_STORES',
  'BENCH_CLUSTER',
  'BENCH_PORT_BASE',
  'BENCH_DB',
  'BENCH_REDIS_URL',
]
  .filter((k) => process.env[k])
  .map((k) => `${k}=${process.env[k]} `)
  .join('')}npm run bench`;

async function main() {
  log(`machine: ${machine}`);
  log(
    hasTaskset
      ? `pinning: servers on core ${SERVER_CORE}, load generator on core ${LOAD_CORE} (taskset)`
      : 'pinning: taskset not available; servers and load share the cores',
  );
  if (!process.env.BENCH_NO_BUILD) {
    log('building Tessera…');
    execSync('npm run build', { cwd: root, stdio: 'ignore' });
  }
  execSync(
    `psql "${pgBase}/postgres" -q -c "DROP DATABASE IF EXISTS ${dbName}" -c "CREATE DATABASE ${dbName}"`,
  );
  execSync(`redis-cli -u ${redisUrl} flushdb`, { stdio: 'ignore' });
  if (hasTaskset) {
    stores = pinStores([new URL(pgBase).port || '5432', new URL(redisUrl).port || '6379'], LOAD_CORE);
    storesNote = stores.pinned.length
      ? `PostgreSQL and Redis (${stores.pinned.length} processes) pinned to core ${LOAD_CORE} with the load generator, as on their own hosts in production`
      : 'PostgreSQL and Redis not pinned: the scheduler runs them on either core (BENCH_PIN_STORES=1 pins them to the load core)';
    log(`pinning: ${storesNote}`);
  }

  const adminToken = 'bench-admin-token-0123456789abcdefghijklmnopqrstuvwxyz';
  // BENCH_PROFILE=1: V8 CPU profile of Tessera under the load, written when it stops (gitignored).
  const profileDir = join(here, 'results', 'profiles');
  const profileArgs = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  if (profileArgs.length) {
    mkdirSync(profileDir, { recursive: true });
    log(`profiling Tessera: --cpu-prof into ${profileDir}`);
  }
  log(`Tessera runs with its container image's runtime settings: ${imageEnvNote}`);
  /** Tessera's environment; every instance of the run shares the database and the issuer. */
  const tesseraEnv = (port, adminPort, extra = {}) => ({
    ...imageEnv,
    NODE_ENV: 'production',
    PORT: String(port),
    ADMIN_PORT: String(adminPort),
    HOST: '127.0.0.1',
    ISSUER: local(PORTS.tessera),
    DATABASE_URL: `${pgBase}/${dbName}`,
    REDIS_URL: redisUrl,
    ADMIN_TOKEN: adminToken,
    KEY_ENCRYPTION_SECRET: 'bench-key-encryption-secret-0123456789abcdef',
    COOKIE_SECRET: 'bench-cookie-secret-0123456789abcdef-0123456789',
    LOG_LEVEL: 'error',
    // One owner signing in from one address hundreds of times a second would trip the login rate
    // limits (429 after 30 + 30 attempts per address and window) and the per-username delay
    // (concurrent attempts in flight count as failures until they succeed). The bench raises the
    // limits; every attempt is still counted in Redis before the password check, as in production.
    LOGIN_RATE_LIMIT_PER_IP: '100000000',
    LOGIN_RATE_LIMIT_PER_USERNAME: '100000000',
    LOGIN_DELAY_AFTER_FAILURES: '100000000',
    // Tessera's default scopes plus the bench resource's scope.
    SCOPES:
      'openid=Sign you in;profile=Read your profile;email=Read your email address;offline_access=Stay signed in;notes:read=Read your notes;notes:write=Change your notes;api=Call the bench API',
    ...extra,
  });
  // BENCH_TESSERA_NODE_ARGS: node flags for Tessera only (e.g. `--max-semi-space-size=1`, a memory trade-off).
  const tesseraNodeArgs = (process.env.BENCH_TESSERA_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const tessera = startNode([...tesseraNodeArgs, ...profileArgs, join(root, 'dist/src/main.js')], {
    core: SERVER_CORE,
    name: 'tessera',
    readyUrl: `${local(PORTS.tessera)}/health/ready`,
    env: tesseraEnv(PORTS.tessera, PORTS.tesseraAdmin),
  });
  started.push(tessera);
  await tessera.ready;
  const tesseraFx = await setUpTessera(local(PORTS.tessera), local(PORTS.tesseraAdmin), adminToken);

  mkdirSync(join(here, 'results'), { recursive: true });
  const fixturesFile = join(here, 'results', `.peer-fixtures-${PORTS.peer}.json`);
  const peerFx = setUpPeer(fixturesFile);
  const peer = startNode([join(here, 'peer-server.mjs'), String(PORTS.peer), fixturesFile], {
    core: SERVER_CORE,
    name: 'oidc-provider',
  });
  started.push(peer);
  await peer.ready;
  const floorJson = startNode([join(here, 'floor-server.mjs'), String(PORTS.floorJson), 'json'], {
    core: SERVER_CORE,
    name: 'floor-json',
  });
  const floorSign = startNode([join(here, 'floor-server.mjs'), String(PORTS.floorSign), 'sign'], {
    core: SERVER_CORE,
    name: 'floor-sign',
  });
  const floorVerify = startNode([join(here, 'floor-server.mjs'), String(PORTS.floorVerify), 'verify'], {
    core: SERVER_CORE,
    name: 'floor-verify',
  });
  started.push(floorJson, floorSign, floorVerify);
  await Promise.all([floorJson.ready, floorSign.ready, floorVerify.ready]);

  const targets = {
    tessera: { base: local(PORTS.tessera), proc: tessera, fx: tesseraFx },
    peer: { base: local(PORTS.peer), proc: peer, fx: peerFx },
    floorJson: { base: local(PORTS.floorJson), proc: floorJson },
    floorSign: { base: local(PORTS.floorSign), proc: floorSign },
    floorVerify: { base: local(PORTS.floorVerify), proc: floorVerify },
  };

  // Both servers' logins verify an argon2id password hash: measure what that costs on the server
  // core, for the ceiling the login-flow rows are read against. Measured again after the last case;
  // the lower figure (the less disturbed one) sets the ceiling.
  const measureArgon2 = () =>
    JSON.parse(
      execSync(
        `${hasTaskset ? `taskset -c ${SERVER_CORE} ` : ''}"${process.execPath}" ${join(here, 'argon2-cost.mjs')} 20`,
        { encoding: 'utf8' },
      ),
    );
  const argon2 = measureArgon2();
  argon2.samplesMs = [argon2.verifyMs];
  log(
    `argon2id verify (${argon2.params}): ${argon2.verifyMs} ms per login on the server core (a ceiling of ~${Math.round(1000 / argon2.verifyMs)} logins/s per core)`,
  );

  // Idle RSS after start-up and fixtures, before any load (and again after all cases, below).
  await sleep(idleSeconds * 1000);
  const rssIdle = {
    tessera: { start: rssOf(targets.tessera) },
    peer: { start: rssOf(targets.peer) },
  };
  log(
    `idle RSS before any load: Tessera ${rssIdle.tessera.start} MB, oidc-provider ${rssIdle.peer.start} MB`,
  );
  const ctx = { argon2, rssIdle };

  /**
   * The cluster case's servers, started when it runs and stopped after it: Tessera as 2 processes
   * behind one port (bench/cluster.mjs, node:cluster) and as 1 process, both NOT pinned (every core,
   * shared with the load generator, PostgreSQL and Redis). Same database and issuer as the pinned
   * Tessera, which already ran the migrations (MIGRATIONS_RUN=false; they race when two processes
   * migrate an empty database at once). The JWT check verifies `iss` against that shared issuer.
   */
  async function startClusterTargets() {
    const env = (port, adminPort) => tesseraEnv(port, adminPort, { MIGRATIONS_RUN: 'false' });
    const cluster = startNode([join(here, 'cluster.mjs'), '2'], {
      name: 'tessera-cluster',
      env: env(PORTS.cluster, PORTS.clusterAdmin),
    });
    const single = startNode([join(root, 'dist/src/main.js')], {
      name: 'tessera-single',
      readyUrl: `${local(PORTS.single)}/health/ready`,
      env: env(PORTS.single, PORTS.singleAdmin),
    });
    started.push(cluster, single);
    await Promise.all([cluster.ready, single.ready]);
    const pids = /ready pids=([\d,]+)/.exec(cluster.output())[1].split(',').map(Number);
    const issuer = local(PORTS.tessera);
    targets.cluster = { base: local(PORTS.cluster), issuer, proc: cluster, pids, fx: tesseraFx };
    targets.single = { base: local(PORTS.single), issuer, proc: single, fx: tesseraFx };
    log(
      `cluster case: Tessera ×2 on ${targets.cluster.base} (pids ${pids.join(', ')}, primary first), ×1 on ${targets.single.base}, not pinned`,
    );
  }
  async function stopClusterTargets() {
    for (const name of ['cluster', 'single']) {
      const { proc } = targets[name];
      started.splice(started.indexOf(proc), 1);
      if (proc.child.exitCode === null) {
        const exited = new Promise((resolve) => proc.child.once('exit', resolve));
        proc.child.kill('SIGTERM');
        await exited;
      }
      delete targets[name];
    }
  }

  const results = [];
  const only = process.env.BENCH_CASES; // e.g. BENCH_CASES=refresh,flow while iterating
  // Optional cases (the cluster case) run with BENCH_CLUSTER=1, or when BENCH_CASES names them.
  const selected = cases.filter(
    (k) =>
      (!only || only.split(',').some((w) => k.name.includes(w))) &&
      (!k.optional ||
        process.env.BENCH_CLUSTER === '1' ||
        only?.split(',').some((w) => w.includes(k.optional))),
  );
  for (const c of selected) {
    if (c.optional === 'cluster') {
      await startClusterTargets();
    }
    const servers = c.servers.filter((s) => targets[s]);
    const specs = {};
    for (const s of servers) {
      specs[s] = await c.prepare(s, targets[s], connections);
      await c.check(s, targets[s], specs[s]); // a fast error page can never count
      if (c.spoil && (targets[s].fx || c.spoilFloors)) {
        // The check must also be able to fail: each wrong request has to be refused by it.
        for (const spoil of [c.spoil].flat()) {
          const refused = await c.check(s, targets[s], spoil(specs[s])).then(
            () => false,
            (err) => {
              log(
                `  check fails as it must (${s}, ${spoil.name || 'spoil'}): ${String(err.message).slice(0, 120)}`,
              );
              return true;
            },
          );
          if (!refused) {
            throw new Error(
              `${c.name}: the correctness check accepted a wrong answer from ${s} (${spoil.name || 'spoil'})`,
            );
          }
        }
      }
    }
    for (const s of servers) {
      // Warm-up (not measured): JIT, connection pools and caches, as in steady production traffic.
      if (warmup > 0) {
        const spec = { ...specs[s], connections, duration: warmup };
        if (c.refill) {
          Object.assign(spec, await c.refill(s, targets[s], connections));
        }
        runLoad(spec, LOAD_CORE, c.worker);
      }
    }
    const runs = Object.fromEntries(servers.map((s) => [s, []]));
    for (let r = 0; r < rounds; r++) {
      for (const s of servers) {
        const spec = { ...specs[s], connections, duration };
        if (c.refill) {
          Object.assign(spec, await c.refill(s, targets[s], connections));
        }
        const cpuBefore = cpuOf(targets[s]);
        const out = runLoad(spec, LOAD_CORE, c.worker);
        out.rss = rssOf(targets[s]);
        // Server CPU per request: less sensitive to other jobs on the machine than req/s (it leaves
        // out PostgreSQL and Redis, which only Tessera uses).
        out.cpuUs = ((cpuOf(targets[s]) - cpuBefore) * 1000) / Math.max(1, out.total);
        runs[s].push(out);
      }
    }
    const row = summarize(c, runs);
    applyCeiling(row, 1000 / argon2.verifyMs);
    if (!servers.includes('peer') && !c.compare) {
      row.peer = 'n/a: oidc-provider has no resource server';
    }
    if (c.optional === 'cluster') {
      await stopClusterTargets();
    }
    results.push(row);
    log(`${c.name}: ${brief(row)}`);
    write(results, ctx, new Date().toISOString()); // after every case, so an aborted run still leaves its rows
  }

  if (results.some((r) => r.login)) {
    const again = measureArgon2();
    argon2.samplesMs.push(again.verifyMs);
    argon2.verifyMs = Math.min(...argon2.samplesMs);
    log(
      `argon2id verify after the last case: ${again.verifyMs} ms; ceiling from ${argon2.verifyMs} ms (~${Math.round(1000 / argon2.verifyMs)} logins/s)`,
    );
    results.forEach((r) => applyCeiling(r, 1000 / argon2.verifyMs));
  }
  // Idle again: a few seconds after the last case.
  await sleep(idleSeconds * 1000);
  rssIdle.tessera.end = rssOf(targets.tessera);
  rssIdle.peer.end = rssOf(targets.peer);
  log(
    `idle RSS ${idleSeconds}s after the last case: Tessera ${rssIdle.tessera.end} MB, oidc-provider ${rssIdle.peer.end} MB`,
  );
  await stopAll();
  log('\n' + write(results, ctx, new Date().toISOString()));
}

/** One console line per row: req/s min/median/max, p50/p99 (max), ratios median (worst). */
function brief(row) {
  const parts = Object.entries(row.servers).map(
    ([s, v]) =>
      `${s} ${v.rpsMin}/${v.rps}/${v.rpsMax} req/s p50 ${v.p50} p99 ${v.p99} (max ${v.p99Max}) ms` +
      `${v.ceilingShare !== undefined ? ` ${Math.round(v.ceilingShare * 100)} % of the argon2id ceiling (worst ${Math.round(v.ceilingShareMin * 100)} %)` : ''}` +
      ` rss ${v.rss} MB, ${v.errors} errors, ${v.non2xx} non-2xx${v.firstError ? ` (${v.firstError.slice(0, 160)})` : ''}`,
  );
  if (row.ratio !== undefined) {
    parts.push(
      `${(row.compare ?? ['tessera', 'peer']).join('/')} ${row.ratio}× (worst ${row.ratioMin}×; rounds ${row.ratios.join(', ')})`,
    );
  }
  if (row.floorRatio !== undefined) {
    parts.push(`tessera/${row.floor} ${row.floorRatio}× (worst ${row.floorRatioMin}×)`);
  }
  return parts.join('; ');
}

/**
 * Writes bench/results/latest.{json,md}. BENCH_MERGE=1 keeps the rows of other cases already in
 * latest.json (re-running some cases into an existing reference; the table says so).
 */
let mergeBase; // latest.json as it was before this run (BENCH_MERGE)
function write(results, { argon2, rssIdle }, date) {
  const file = join(here, 'results', 'latest.json');
  let rows = results;
  let runs = [{ date, command }];
  if (process.env.BENCH_MERGE && (mergeBase || existsSync(file))) {
    mergeBase ??= JSON.parse(readFileSync(file, 'utf8'));
    const before = mergeBase;
    const mine = new Set(results.map((r) => r.case));
    rows = [...before.results.filter((r) => !mine.has(r.case)), ...results];
    runs = [
      ...(before.runs ?? [{ date: before.date, command: before.command }]),
      { date, command, cases: [...mine] },
    ];
  }
  const targets = evaluateTargets(rows, { rssIdle, connections });
  const table = renderTable(rows, date, argon2, runs, rssIdle, targets);
  writeFileSync(
    file,
    JSON.stringify(
      {
        date,
        machine,
        command,
        runs,
        duration,
        rounds,
        connections,
        warmup,
        stores: storesNote,
        argon2,
        rssIdle,
        targets,
        results: rows,
      },
      null,
      2,
    ),
  );
  writeFileSync(join(here, 'results', 'latest.md'), table);
  return table;
}

const x = (v) => (v === undefined ? '' : `${v}×`);

function renderTable(results, date, argon2, runs, rssIdle, targets) {
  const lines = [
    `Machine: ${machine}. Command: ${runs.map((r) => `\`${r.command}\` (${r.date}${r.cases ? `: ${r.cases.join('; ')}` : ''})`).join(', then ')}.`,
    '',
    `Run ${date}; ${warmup}s warm-up, then ${rounds} interleaved rounds of ${duration}s, ${connections} connections; servers on core ${SERVER_CORE}, load generator on core ${LOAD_CORE}; ${storesNote}. Tessera runs with its image's ${imageEnvNote}; every server with MALLOC_ARENA_MAX=2.`,
    '',
    '| case | server | req/s median | req/s min–max | p50 ms | p99 ms | max p99 ms | errors | non-2xx | RSS MB | server CPU µs/req² | argon2id ceiling³ | Tessera/peer median (worst)⁴ | Tessera/floor median (worst)⁴ |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const [a] = r.compare ?? ['tessera'];
    for (const [s, v] of Object.entries(r.servers)) {
      const t = s === a;
      const ratio =
        t && r.ratio !== undefined
          ? `${x(r.ratio)} (${x(r.ratioMin) || '—'})${r.compare ? ` ${r.compare.join('/')}` : ''}`
          : t && r.peer
            ? 'n/a¹'
            : '';
      const floorRatio =
        t && r.floorRatio !== undefined ? `${x(r.floorRatio)} (${x(r.floorRatioMin) || '—'})` : '';
      const ceiling =
        v.ceilingShare !== undefined
          ? `${Math.round(v.ceilingShare * 100)} % (${Math.round(v.ceilingShareMin * 100)} %)`
          : '';
      lines.push(
        `| ${r.case} | ${s} | ${v.rps} | ${v.rpsMin ?? '?'}–${v.rpsMax ?? '?'} | ${v.p50} | ${v.p99} | ${v.p99Max ?? ''} | ${v.errors} | ${v.non2xx} | ${v.rss} | ${v.cpuUs ?? ''} | ${ceiling} | ${ratio} | ${floorRatio} |`,
      );
    }
  }
  lines.push(
    '',
    `Flow rows: req/s is flows/s, latency per complete flow, \`connections\` does not apply. Both servers verify the owner's argon2id password at each login with Tessera's \`argon2\` and parameters (${argon2.params}; oidc-provider in bench/peer-server.mjs's login interaction): ${argon2.verifyMs} ms per verification on the server core in this run (${argon2.samplesMs?.length > 1 ? `lower of ${argon2.samplesMs.join(' ms before and ')} ms after the cases` : 'measured before the cases'}), a ceiling of ~${Math.round(1000 / argon2.verifyMs)} logins/s per core before any other work. Signed-in rows have no login.`,
    'Floors are bare node:http servers: floorJson returns fixed JSON, floorSign signs one ES256 JWT per request, floorVerify verifies one ES256 bearer JWT per request (synchronous node:crypto).',
    "¹ oidc-provider has no resource server, so the protected-API case has no peer; Tessera there also reads the subject's notes from PostgreSQL.",
    "² CPU time of the server process (all its threads, from /proc, 10 ms ticks) over the measured rounds ÷ requests; PostgreSQL's and Redis's CPU is not included (only Tessera uses them). Flow rows: per flow.",
    '³ Login-flow rows: flows/s (one login each, on one pinned core) ÷ the argon2id ceiling above, median (worst round).',
    '⁴ Ratio of each round r of Tessera to round r of the other server (rounds are interleaved A B A B): median of the rounds, and the worst (lowest) round.',
    `Idle RSS (after start-up and fixtures, before any load; then ${idleSeconds} s after the last case): Tessera ${rssIdle?.tessera?.start ?? '?'} MB → ${rssIdle?.tessera?.end ?? '?'} MB, oidc-provider ${rssIdle?.peer?.start ?? '?'} MB → ${rssIdle?.peer?.end ?? '?'} MB. RSS MB in the table: the highest of the samples taken after each round.`,
  );
  for (const r of results) {
    const costs = Object.entries(r.servers).filter(([, v]) => v.proofUs !== undefined);
    if (costs.length) {
      lines.push(
        `${r.case}: a fresh ES256 proof per request (node:crypto) cost the load core ${costs.map(([s, v]) => `${v.proofUs} µs CPU per proof, ${(v.proofCoreShare * 100).toFixed(1)} % of the core; the whole load worker used ${(v.loadCoreShare * 100).toFixed(0)} % (${s})`).join('; ')}. A load worker near 100 % means the load generator, not the server, set the pace.`,
      );
    }
    if (r.note) {
      lines.push(`${r.case}: ${r.note}`);
    }
  }
  lines.push('', ...renderTargets(targets));
  return lines.join('\n') + '\n';
}

main().catch((err) => {
  stopAll();
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
