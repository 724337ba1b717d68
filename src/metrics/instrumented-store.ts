import type { ShortLivedStore } from '../store/short-lived-store.js';
import type { Metrics } from './metrics.js';

const OPERATIONS = [
  'set',
  'setIfAbsent',
  'get',
  'take',
  'delete',
  'increment',
  'ttl',
  'publish',
  'ping',
] as const;

/** The store with each operation timed and its failures counted (tessera_store_*). */
export function instrumentStore(store: ShortLivedStore, metrics: Metrics): ShortLivedStore {
  const wrapped = Object.create(store) as ShortLivedStore;
  for (const operation of OPERATIONS) {
    const original = store[operation].bind(store) as (...args: unknown[]) => Promise<unknown>;
    const timer = metrics.storeDuration.labels(operation);
    const errors = metrics.storeErrors.labels(operation);
    (wrapped as unknown as Record<string, unknown>)[operation] = async (...args: unknown[]) => {
      const end = timer.startTimer();
      try {
        return await original(...args);
      } catch (err) {
        errors.inc();
        throw err;
      } finally {
        end();
      }
    };
  }
  wrapped.subscribe = store.subscribe.bind(store);
  wrapped.close = store.close.bind(store);
  return wrapped;
}
