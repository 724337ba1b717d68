// Where PostgreSQL and Redis run during the bench. On a 2-core machine Tessera (core 0) would
// otherwise share its core with the PostgreSQL backends and Redis it waits on, while the peer's
// in-memory adapter needs no second process; production runs the stores on other hosts. So the
// stores' processes are pinned to the load generator's core for the run (BENCH_PIN_STORES=0 turns
// this off) and given every core back at the end.
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
  if (process.env.BENCH_PIN_STORES === '0' || spawnSync('ss', ['-V']).status !== 0) {
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
