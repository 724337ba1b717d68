import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** True when a redis-server binary is on PATH (the outage specs start their own). */
export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/** A throwaway redis-server on 127.0.0.1:port, no persistence; resolves once it accepts connections. */
export async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  for (let i = 0; i < 100 && !/Ready to accept connections/i.test(out); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!/Ready to accept connections/i.test(out)) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start: ${out.slice(-300)}`);
  }
  return child;
}

/** Kills the server (an outage, not a clean stop), resuming it first if it was paused. */
export async function stopRedis(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = once(child, 'exit');
  child.kill('SIGCONT');
  child.kill('SIGKILL');
  await exited;
}
