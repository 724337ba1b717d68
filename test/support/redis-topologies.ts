import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when Debian's redis-server and redis-cli are installed (the topology suites start their own). */
export const hasRedisTools =
  spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;

async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` free loopback ports in 20000–29999 whose cluster-bus port (+10000) is free too. */
export async function sparePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    if (!ports.includes(port) && (await isFree(port)) && (await isFree(port + 10000))) {
      ports.push(port);
    }
  }
  return ports;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function redisCli(port: number, ...args: string[]): string {
  const result = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    encoding: 'utf8',
  });
  return `${result.stdout}${result.stderr}`;
}

async function waitFor(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(100);
  }
}

export interface RedisGroup {
  dir: string;
  processes: ChildProcess[];
  stop(): Promise<void>;
}

function group(dir: string): RedisGroup {
  const processes: ChildProcess[] = [];
  return {
    dir,
    processes,
    stop: async () => {
      await Promise.all(
        processes
          .filter((p) => p.exitCode === null && p.signalCode === null)
          .map((p) => {
            const exited = once(p, 'exit');
            p.kill('SIGKILL');
            return exited;
          }),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function server(g: RedisGroup, port: number, extra: string[]): void {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      g.dir,
      ...extra,
    ],
    { stdio: 'ignore' },
  );
  g.processes.push(child);
}

/** A three-master Redis Cluster (no replicas) on spare loopback ports, slots assigned and state ok. */
export async function startCluster(): Promise<RedisGroup & { ports: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-cluster-'));
  const g = group(dir);
  const ports = await sparePorts(3);
  for (const port of ports) {
    server(g, port, ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`]);
  }
  await waitFor('cluster nodes', () => ports.every((p) => redisCli(p, 'PING').includes('PONG')));
  const created = redisCli(
    ports[0] as number,
    '--cluster',
    'create',
    ...ports.map((p) => `127.0.0.1:${p}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  );
  if (!created.includes('All 16384 slots covered')) {
    await g.stop();
    throw new Error(`cluster create failed: ${created.slice(-500)}`);
  }
  await waitFor('cluster_state:ok', () =>
    ports.every((p) => redisCli(p, 'CLUSTER', 'INFO').includes('cluster_state:ok')),
  );
  return { ...g, ports };
}

/** A master, one replica and three sentinels (quorum 2) watching `name`. */
export async function startSentinel(
  name: string,
): Promise<RedisGroup & { master: number; replica: number; sentinels: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-sentinel-'));
  const g = group(dir);
  const [master, replica, ...sentinels] = (await sparePorts(5)) as [number, number, ...number[]];
  server(g, master, []);
  server(g, replica, ['--replicaof', '127.0.0.1', String(master)]);
  await waitFor('replica in sync', () =>
    redisCli(replica, 'INFO', 'replication').includes('master_link_status:up'),
  );
  for (const port of sentinels) {
    const conf = join(dir, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${master} 2`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 10000`,
        '',
      ].join('\n'),
    );
    g.processes.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
  }
  await waitFor('sentinels see the replica', () =>
    sentinels.every((p) =>
      /num-slaves\s+1/.test(redisCli(p, 'SENTINEL', 'MASTER', name).replace(/\n/g, ' ')),
    ),
  );
  return { ...g, master, replica, sentinels };
}

/** The port Sentinel currently reports as master. */
export function sentinelMasterPort(sentinelPort: number, name: string): number {
  const out = redisCli(sentinelPort, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name).trim().split('\n');
  return Number(out[1]);
}

export { waitFor };
