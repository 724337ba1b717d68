import { randomBytes } from 'node:crypto';
import { RedisShortLivedStore } from '../../src/store/redis-short-lived.store.js';
import { StoreUnavailableError } from '../../src/store/short-lived-store.js';
import {
  hasRedisTools,
  redisCli,
  sentinelMasterPort,
  startCluster,
  startSentinel,
  waitFor,
  type RedisGroup,
} from '../support/redis-topologies.js';
import { shortLivedStoreContract } from './short-lived-store.contract.js';

/**
 * Issue #17 item 3: the short-lived store contract against a real three-master Redis Cluster and
 * a Sentinel-managed master/replica pair, both started here from Debian's redis-server on spare
 * loopback ports; plus a forced Sentinel failover under writes, losing nothing acknowledged.
 */
const connect = (url: string, waitReplicas = 0) =>
  RedisShortLivedStore.connect(url, {
    waitReplicas,
    prefix: `tessera-topology-${randomBytes(4).toString('hex')}:`,
    // Generous: the suite checks semantics, on a shared CI machine with three Redis topologies running.
    timeoutMs: 5000,
    connectWithinMs: 15_000,
  });

(hasRedisTools ? describe : describe.skip)(
  hasRedisTools
    ? 'Redis Cluster (three masters)'
    : 'Redis Cluster (skipped: redis-server/redis-cli not installed)',
  () => {
    let cluster: (RedisGroup & { ports: number[] }) | undefined;
    beforeAll(async () => {
      cluster = await startCluster();
    }, 60_000);
    afterAll(async () => {
      await cluster?.stop();
    });
    shortLivedStoreContract(() =>
      connect(
        `redis+cluster://${cluster?.ports
          .slice(0, 2)
          .map((p) => `127.0.0.1:${p}`)
          .join(',')}`,
      ),
    );

    it('keys spread over the three masters (the store is not pinned to one slot)', async () => {
      const store = await connect(`redis+cluster://127.0.0.1:${cluster?.ports[0]}`);
      try {
        for (let i = 0; i < 60; i++) {
          await store.set(`spread-${i}`, 'x', 60);
        }
        const counts = (cluster?.ports ?? []).map((p) => Number(redisCli(p, 'DBSIZE').trim()));
        expect(counts.filter((n) => n > 0)).toHaveLength(3);
      } finally {
        await store.close();
      }
    });
  },
);

(hasRedisTools ? describe : describe.skip)(
  hasRedisTools ? 'Redis Sentinel' : 'Redis Sentinel (skipped: redis-server/redis-cli not installed)',
  () => {
    const NAME = 'tessera-master';
    let sentinel: Awaited<ReturnType<typeof startSentinel>> | undefined;
    const url = () =>
      `redis+sentinel://${sentinel?.sentinels.map((p) => `127.0.0.1:${p}`).join(',')}/${NAME}`;
    beforeAll(async () => {
      sentinel = await startSentinel(NAME);
    }, 60_000);
    afterAll(async () => {
      await sentinel?.stop();
    });
    shortLivedStoreContract(() => connect(url()));

    it('REDIS_WAIT_REPLICAS=1, a forced failover: writes continue on the new master and every acknowledged write is still there', async () => {
      // REDIS_WAIT_REPLICAS=1: a write is acknowledged once the replica has it.
      const store = await connect(url(), 1);
      const acknowledged = new Map<string, string>();
      let refused = 0;
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing; i++) {
          const key = `fo-${i}`;
          try {
            await store.set(key, `v${i}`, 600);
            acknowledged.set(key, `v${i}`);
          } catch (err) {
            expect(err).toBeInstanceOf(StoreUnavailableError); // a 503, never a wrong answer
            refused++;
          }
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      try {
        await waitFor('some writes', () => acknowledged.size >= 50);
        const before = sentinelMasterPort(sentinel?.sentinels[0] as number, NAME);
        expect(redisCli(sentinel?.sentinels[0] as number, 'SENTINEL', 'FAILOVER', NAME)).toContain('OK');
        await waitFor(
          'the new master',
          () => sentinelMasterPort(sentinel?.sentinels[0] as number, NAME) !== before,
          30_000,
        );
        const sizeAtSwitch = acknowledged.size;
        await waitFor('writes on the new master', () => acknowledged.size >= sizeAtSwitch + 50, 30_000);
        writing = false;
        await writer;
        const lost: string[] = [];
        for (const [key, value] of acknowledged) {
          if ((await store.get(key)) !== value) {
            lost.push(key);
          }
        }
        process.stdout.write(
          `[sentinel failover] master ${before} → ${sentinelMasterPort(sentinel?.sentinels[0] as number, NAME)}; ` +
            `${acknowledged.size} writes acknowledged, ${refused} refused (503) during the switch, ${lost.length} lost\n`,
        );
        expect(lost).toEqual([]);
      } finally {
        writing = false;
        await writer.catch(() => undefined);
        await store.close();
      }
    }, 90_000);
  },
);
