import { randomBytes } from 'node:crypto';
import type { ShortLivedStore } from '../../src/store/short-lived-store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The ShortLivedStore contract (hydra's manager_test_helpers shape): one suite, run against
 * every adapter. `factory` opens a fresh store; it is closed after the suite.
 */
export function shortLivedStoreContract(factory: () => Promise<ShortLivedStore>): void {
  let store: ShortLivedStore;
  const key = (name: string) => `${name}:${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    store = await factory();
  });
  afterAll(async () => {
    await store.close();
  });

  it('set then get returns the value; a missing key is null', async () => {
    const k = key('set');
    await store.set(k, 'v1', 60);
    expect(await store.get(k)).toBe('v1');
    await store.set(k, 'v2', 60);
    expect(await store.get(k)).toBe('v2');
    expect(await store.get(key('missing'))).toBeNull();
  });

  it('R-CODE-1: values expire after their TTL', async () => {
    const k = key('expiring');
    await store.set(k, 'v', 1);
    expect(await store.get(k)).toBe('v');
    await sleep(1300);
    expect(await store.get(k)).toBeNull();
    expect(await store.take(k)).toBeNull();
    expect(await store.ttl(k)).toBeNull();
  });

  it('setIfAbsent stores only when absent, and again once the old value expired', async () => {
    const k = key('nx');
    expect(await store.setIfAbsent(k, 'first', 1)).toBe(true);
    expect(await store.setIfAbsent(k, 'second', 60)).toBe(false);
    expect(await store.get(k)).toBe('first');
    await sleep(1300);
    expect(await store.setIfAbsent(k, 'third', 60)).toBe(true);
    expect(await store.get(k)).toBe('third');
  });

  it('setIfAbsent is atomic: of 50 concurrent callers exactly one wins', async () => {
    const k = key('nx-race');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.setIfAbsent(k, `v${i}`, 60)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('R-CODE-4: take is get-and-delete; of 100 concurrent takes exactly one gets the value', async () => {
    const k = key('take');
    await store.set(k, 'the-code', 60);
    const results = await Promise.all(Array.from({ length: 100 }, () => store.take(k)));
    expect(results.filter((v) => v !== null)).toEqual(['the-code']);
    expect(await store.get(k)).toBeNull();
    expect(await store.take(k)).toBeNull();
  });

  it('delete removes a key; deleting a missing key is not an error', async () => {
    const k = key('del');
    await store.set(k, 'v', 60);
    await store.delete(k);
    expect(await store.get(k)).toBeNull();
    await expect(store.delete(k)).resolves.toBeUndefined();
  });

  it('R-SEC-6: increment counts atomically from 1 under concurrency', async () => {
    const k = key('incr');
    const results = await Promise.all(Array.from({ length: 50 }, () => store.increment(k, 60)));
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await store.get(k)).toBe('50');
  });

  it('R-SEC-6: increment sets the TTL on creation and never extends it', async () => {
    const k = key('window');
    expect(await store.increment(k, 2)).toBe(1);
    await sleep(1100);
    expect(await store.increment(k, 100)).toBe(2);
    const ttl = await store.ttl(k);
    expect(ttl).not.toBeNull();
    expect(ttl as number).toBeLessThanOrEqual(1);
    await sleep(1200);
    expect(await store.get(k)).toBeNull();
    expect(await store.increment(k, 60)).toBe(1);
  });

  it('ttl reports the remaining seconds, or null for a missing key', async () => {
    const k = key('ttl');
    await store.set(k, 'v', 100);
    const ttl = await store.ttl(k);
    expect(ttl).toBeGreaterThanOrEqual(99);
    expect(ttl).toBeLessThanOrEqual(100);
    expect(await store.ttl(key('ttl-missing'))).toBeNull();
  });

  it('publish reaches every subscriber of the channel, and only that channel', async () => {
    const channel = key('chan');
    const other = key('other');
    const received: string[] = [];
    const second: string[] = [];
    const stray: string[] = [];
    await store.subscribe(channel, (m) => received.push(m));
    await store.subscribe(channel, (m) => second.push(m));
    await store.subscribe(other, (m) => stray.push(m));
    await store.publish(channel, 'hello');
    await store.publish(channel, 'world');
    for (let i = 0; i < 100 && (received.length < 2 || second.length < 2); i++) {
      await sleep(10);
    }
    expect(received).toEqual(['hello', 'world']);
    expect(second).toEqual(['hello', 'world']);
    expect(stray).toEqual([]);
  });

  it('ping answers while the store is up', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
}
