import { DeadlineExceededError, withDeadline } from './deadline.js';

describe('withDeadline', () => {
  it('settles like the work when it finishes in time', async () => {
    await expect(withDeadline(Promise.resolve('ok'), 50)).resolves.toBe('ok');
    await expect(withDeadline(Promise.reject(new Error('boom')), 50)).rejects.toThrow('boom');
  });

  it('rejects with DeadlineExceededError when the work never settles', async () => {
    const started = Date.now();
    await expect(withDeadline(new Promise(() => undefined), 30)).rejects.toBeInstanceOf(
      DeadlineExceededError,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
