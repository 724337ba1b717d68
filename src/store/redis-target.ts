import { createClient, createCluster, createSentinel } from 'redis';

/**
 * REDIS_URL forms:
 * - `redis://[user:pass@]host:port[/db]` or `rediss://…`: one server;
 * - `redis+cluster://[user:pass@]host:port,host:port`: a Redis Cluster (any reachable nodes seed it);
 * - `redis+sentinel://[user:pass@]host:port,host:port/mastername`: the master Sentinel names, followed
 *   across failovers (the credentials are the data nodes'; `?sentinelPassword=` for the sentinels).
 */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | {
      kind: 'cluster';
      nodes: { host: string; port: number }[];
      username?: string;
      password?: string;
      tls: boolean;
    }
  | {
      kind: 'sentinel';
      name: string;
      sentinels: { host: string; port: number }[];
      username?: string;
      password?: string;
      sentinelPassword?: string;
    };

function hosts(list: string): { host: string; port: number }[] {
  return list.split(',').map((part) => {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(part.trim());
    if (!match?.[1]) {
      throw new Error(`REDIS_URL: invalid host "${part}"`);
    }
    return { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2] ?? 6379) };
  });
}

export function parseRedisTarget(url: string): RedisTarget {
  const match =
    /^(redis\+cluster|rediss\+cluster|redis\+sentinel):\/\/(?:([^@/]*)@)?([^/?#]+)(?:\/([^?#]*))?(?:\?([^#]*))?$/.exec(
      url,
    );
  if (!match) {
    return { kind: 'single', url };
  }
  const [, scheme = '', auth, list = '', path = '', query = ''] = match;
  const [user, pass] = auth ? auth.split(':').map(decodeURIComponent) : [];
  const credentials = { ...(user ? { username: user } : {}), ...(pass ? { password: pass } : {}) };
  if (scheme.endsWith('cluster')) {
    return { kind: 'cluster', nodes: hosts(list), tls: scheme.startsWith('rediss'), ...credentials };
  }
  if (!path) {
    throw new Error('REDIS_URL: redis+sentinel:// needs the master name as its path (…/mymaster)');
  }
  const sentinelPassword = new URLSearchParams(query).get('sentinelPassword') ?? undefined;
  return {
    kind: 'sentinel',
    name: decodeURIComponent(path),
    sentinels: hosts(list),
    ...credentials,
    ...(sentinelPassword ? { sentinelPassword } : {}),
  };
}

/** The commands and events the store uses; the three node-redis client kinds all provide them. */
export interface RedisLike {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): unknown;
  set(key: string, value: string, options: unknown): Promise<string | null>;
  get(key: string): Promise<string | null>;
  getDel(key: string): Promise<string | null>;
  del(key: string): Promise<number>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  ttl(key: string): Promise<number>;
  publish(channel: string, message: string): Promise<number>;
  ping(): Promise<string>;
  wait(replicas: number, timeoutMs: number): Promise<number>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  duplicate(): RedisLike;
}

export interface RedisClientOptions {
  connectTimeoutMs: number;
  reconnectStrategy: (retries: number) => number;
}

/** A node-redis client of the right kind, not yet connected; offline commands fail at once. */
export function createRedisClient(url: string, options: RedisClientOptions): RedisLike {
  const target = parseRedisTarget(url);
  const socket = { connectTimeout: options.connectTimeoutMs, reconnectStrategy: options.reconnectStrategy };
  const common = { disableOfflineQueue: true, commandOptions: { timeout: 0 } };
  if (target.kind === 'cluster') {
    return createCluster({
      rootNodes: target.nodes.map((n) => ({ socket: { host: n.host, port: n.port, tls: target.tls } })),
      defaults: {
        ...common,
        username: target.username,
        password: target.password,
        socket: { ...socket, tls: target.tls },
      },
    });
  }
  if (target.kind === 'sentinel') {
    return createSentinel({
      name: target.name,
      sentinelRootNodes: target.sentinels,
      nodeClientOptions: { ...common, username: target.username, password: target.password, socket },
      sentinelClientOptions: { password: target.sentinelPassword, socket },
      commandOptions: { timeout: 0 },
    });
  }
  return createClient({ url, ...common, socket });
}
