import { availableParallelism } from 'node:os';
import type { AppConfig } from '../../config/app-config.js';
import { PasswordHasher } from './password-hasher.js';

const hasher = (concurrency: number) =>
  new PasswordHasher({
    env: {
      PASSWORD_HASH_MEMORY_KIB: 8192,
      PASSWORD_HASH_TIME_COST: 1,
      PASSWORD_HASH_PARALLELISM: 1,
      PASSWORD_HASH_CONCURRENCY: concurrency,
    },
  } as unknown as AppConfig);

describe('PasswordHasher', () => {
  it('runs at most PASSWORD_HASH_CONCURRENCY hashes at once; the rest wait in order and all complete', async () => {
    const passwords = hasher(1);
    const seen: number[] = [];
    const done: number[] = [];
    const calls = [0, 1, 2, 3].map((i) =>
      passwords.hash(`password ${i}`).then((hash) => {
        seen.push(passwords.load.running);
        done.push(i);
        return hash;
      }),
    );
    expect(passwords.load).toEqual({ running: 1, waiting: 3 });
    const hashes = await Promise.all(calls);
    expect(done).toEqual([0, 1, 2, 3]);
    expect(Math.max(...seen)).toBe(1);
    expect(passwords.load).toEqual({ running: 0, waiting: 0 });
    await expect(passwords.verify(hashes[2]!, 'password 2')).resolves.toBe(true);
    await expect(passwords.verify(hashes[2]!, 'password 3')).resolves.toBe(false);
  });

  it('a failed verification (malformed hash) gives its turn to the next caller', async () => {
    const passwords = hasher(1);
    const good = await passwords.hash('right');
    const results = await Promise.all([
      passwords.verify('not-a-hash', 'right'),
      passwords.verify(good, 'right'),
      passwords.verify(good, 'wrong'),
    ]);
    expect(results).toEqual([false, true, false]);
    expect(passwords.load).toEqual({ running: 0, waiting: 0 });
  });

  it('lets two run together when the limit is 2', () => {
    const passwords = hasher(2);
    const calls = [passwords.hash('a'), passwords.hash('b'), passwords.hash('c')];
    expect(passwords.load).toEqual({ running: 2, waiting: 1 });
    return Promise.all(calls);
  });

  it('defaults (0) to the cores this process may use', () => {
    expect(hasher(0).concurrency).toBe(availableParallelism());
  });
});
