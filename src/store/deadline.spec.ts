import { DeadlineExceededError, Deadlines, withDeadline } from './deadline.js';

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

describe('Deadlines (one timer for many calls)', () => {
  it('settles like the work when it finishes in time, and forgets it', async () => {
    const deadlines = new Deadlines(50);
    await expect(deadlines.run(Promise.resolve('ok'))).resolves.toBe('ok');
    await expect(deadlines.run(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(deadlines.size).toBe(0);
  });

  it('rejects only the calls that never settle, each once its timeout has passed', async () => {
    const deadlines = new Deadlines(40);
    const started = Date.now();
    const stuck = deadlines.run(new Promise(() => undefined));
    let answer!: (value: string) => void;
    const answered = deadlines.run(new Promise<string>((resolve) => (answer = resolve)));
    const later = new Promise((resolve) => setTimeout(resolve, 20)).then(() =>
      deadlines.run(new Promise(() => undefined)),
    );
    answer('in time');
    await expect(answered).resolves.toBe('in time');
    await expect(stuck).rejects.toBeInstanceOf(DeadlineExceededError);
    const firstAfter = Date.now() - started;
    expect(firstAfter).toBeGreaterThanOrEqual(39);
    await expect(later).rejects.toThrow('no answer within 40 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(59); // 20 ms later, its own 40 ms
    expect(Date.now() - started).toBeLessThan(1000);
    expect(deadlines.size).toBe(0);
  });

  it('a late answer after the deadline changes nothing', async () => {
    const deadlines = new Deadlines(10);
    let answer!: (value: string) => void;
    const call = deadlines.run(new Promise<string>((resolve) => (answer = resolve)));
    await expect(call).rejects.toBeInstanceOf(DeadlineExceededError);
    answer('too late');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(deadlines.size).toBe(0);
  });
});
