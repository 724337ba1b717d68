// Where PostgreSQL and Redis run during the bench. By default they are left alone: the scheduler
// runs them on either core, so Tessera (core 0) may share its core with the backends it waits on,
// which the peer's in-memory adapter never does. BENCH_PIN_STORES=1 pins the stores' processes to
// the load generator's core instead (as if they ran on their own hosts) and gives them every core
// back at the end. Measured here: pinned helps the refresh case a little and starves the flow
// cases (the load core then runs the flow worker, PostgreSQL and Redis).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

/** Pids listening on a loopback TCP port, and their children (PostgreSQL backends). */
function processTree(port) {
  const out = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' }).stdout ?? '';
  const roots = [...new Set([...out.matchAll(/pid=(\d+)/g)].map((m) => m[1]))];
  const all = new Set(roots);
  for (const pid of roots) {
    const kids = spawnSync('pgrep', ['-P', pid], { encoding: 'utf8' }).stdout ?? '';
    kids.split('\n').filter(Boolean).forEach((k) => all.add(k));
  }
  return [...all];
}

function setAffinity(pids, cores) {
  for (const pid of pids) {
    spawnSync('taskset', ['-a', '-p', '-c', cores, pid], { stdio: 'ignore' });
  }
}

/** Pins the processes behind `ports` to `core`; returns a function that gives them every core back. */
export function pinStores(ports, core) {
  if (process.env.BENCH_PIN_STORES !== '1' || spawnSync('ss', ['-V']).status !== 0) {
    return { pinned: [], release: () => undefined };
  }
  const pinned = ports.flatMap((port) => processTree(port).map((pid) => ({ port, pid })));
  setAffinity(
    pinned.map((p) => p.pid),
    String(core),
  );
  const everyCore = `0-${cpus().length - 1}`;
  return {
    pinned,
    // Backends forked during the run inherited the pin: look the trees up again.
    release: () => setAffinity(ports.flatMap(processTree), everyCore),
  };
}

/** A process's allowed cores, for the run's log. */
export function affinityOf(pid) {
  try {
    return execFileSync('taskset', ['-c', '-p', String(pid)], { encoding: 'utf8' }).split(':').pop().trim();
  } catch {
    return '?';
  }
}
