// Tessera as N processes sharing its ports through node:cluster (the bench's optional cluster case;
// Tessera's own code is unchanged: each worker runs dist/src/main.js with the same environment).
//   node bench/cluster.mjs [workers=2]      (PORT, ADMIN_PORT, DATABASE_URL, … as for Tessera)
// Workers are started one after the other (the next once the previous listens), so that start-up
// work against the shared database (migrations, seeding) never runs twice at once;
// BENCH_CLUSTER_TOGETHER=1 forks them all at once instead. The primary only hands connections out
// (node's default round-robin scheduling on Linux). Prints `ready pids=<primary>,<worker>,…` once
// every worker listens on PORT; SIGTERM is passed on to the workers.
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';

const workers = Number(process.argv[2] ?? 2);
const port = Number(process.env.PORT);
const entry = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
cluster.setupPrimary({ exec: entry, silent: false });

let stopping = false;
const listening = new Map(); // worker id → resolve

cluster.on('listening', (worker, address) => {
  if (address.port === port) {
    listening.get(worker.id)?.();
  }
});
cluster.on('exit', (worker, code, signal) => {
  if (!stopping) {
    process.stderr.write(`cluster: worker ${worker.process.pid} exited (${signal ?? code}); stopping\n`);
    stop(1);
  }
});

function fork() {
  const worker = cluster.fork();
  return new Promise((resolve) => listening.set(worker.id, () => resolve(worker)));
}

async function stop(code = 0) {
  stopping = true;
  const all = Object.values(cluster.workers ?? {});
  await Promise.all(
    all.map(
      (w) =>
        new Promise((resolve) => {
          if (w.isDead()) {
            return resolve();
          }
          w.process.once('exit', resolve);
          w.process.kill('SIGTERM');
        }),
    ),
  );
  process.exit(code);
}
process.once('SIGTERM', () => void stop(0));
process.once('SIGINT', () => void stop(0));

const started = [];
if (process.env.BENCH_CLUSTER_TOGETHER === '1') {
  started.push(...(await Promise.all(Array.from({ length: workers }, fork))));
} else {
  for (let i = 0; i < workers; i++) {
    started.push(await fork());
  }
}
process.stdout.write(`ready pids=${[process.pid, ...started.map((w) => w.process.pid)].join(',')}\n`);
