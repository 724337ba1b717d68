import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/**
 * Spawns a node process, pinned to `core` when taskset exists (and `core` is given); resolves once
 * it prints `ready` or /health answers.
 */
export function startNode(args, { core, env = {}, readyUrl, name }) {
  const pin = hasTaskset && core !== undefined;
  const cmd = pin ? 'taskset' : process.execPath;
  const argv = pin ? ['-c', String(core), process.execPath, ...args] : args;
  // Every server runs with MALLOC_ARENA_MAX=2, as Tessera's container image sets it (glibc otherwise keeps
  // up to 8 arenas per core for libuv's threads); the peer and the floors get the same, for a fair RSS.
  const childEnv = { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2', ...env };
  const child = spawn(cmd, argv, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const ready = new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const poll = async () => {
      if (child.exitCode !== null) {
        return reject(new Error(`${name} exited early:\n${output.slice(-3000)}`));
      }
      if (Date.now() > deadline) {
        return reject(new Error(`${name} did not start:\n${output.slice(-3000)}`));
      }
      if (readyUrl) {
        try {
          const res = await fetch(readyUrl);
          if (res.ok) {
            return resolve();
          }
        } catch {
          /* not yet */
        }
      } else if (output.includes('ready ')) {
        return resolve();
      }
      setTimeout(poll, 200);
    };
    void poll();
  });
  return { child, ready, name, output: () => output };
}

/** Resident set size of a process (kB → MB), read from /proc. */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

/** CPU time a process has used so far (user + system, all threads), in ms, read from /proc (100 ticks/s). */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15)
  } catch {
    return NaN;
  }
}

/** Runs one pass of a load worker (autocannon, or the flow worker) on `core`; returns its JSON result. */
export function runLoad(spec, core, worker = 'load-worker.mjs') {
  const args = [new URL(`../${worker}`, import.meta.url).pathname, JSON.stringify(spec)];
  const cmd = hasTaskset ? 'taskset' : process.execPath;
  const argv = hasTaskset ? ['-c', String(core), process.execPath, ...args] : args;
  const res = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) {
    throw new Error(`load worker failed: ${res.stderr}`);
  }
  return JSON.parse(res.stdout.trim().split('\n').pop());
}
