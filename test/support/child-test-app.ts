import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type ChildAppMessage =
  | {
      type: 'ready';
      publicPort: number;
      adminPort: number;
      adminToken: string;
      confidential: { clientId: string; secret: string };
      publicClientId: string;
    }
  | { type: 'memory'; rss: number; heapUsed: number };

type Ready = Omit<Extract<ChildAppMessage, { type: 'ready' }>, 'type'>;

export interface ChildTestApp extends Ready {
  pid: number;
  /** Exit code or signal once the child has ended (a crash while the test still runs). */
  exited(): string | undefined;
  /** The child's resident set size now (/proc/<pid>/status VmRSS), in bytes. */
  rss(): number;
  /** RSS and V8 heap in use after two forced full collections in the child, in bytes. */
  settledMemory(): Promise<{ rss: number; heapUsed: number }>;
  close(): Promise<void>;
}

/**
 * The test app (createTestApp, same environment: SQLite or DATABASE_URL's PostgreSQL, memory store or
 * REDIS_URL) in a child Node process, so that the server's own memory can be measured. The TypeScript
 * sources are compiled with tsc first (the child runs plain Node, not ts-jest): ~10 s.
 */
export async function startChildTestApp(): Promise<ChildTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-child-app-'));
  const entry = join(ROOT, 'test/support/child-test-app.main.ts');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: { outDir: join(dir, 'out'), rootDir: ROOT, sourceMap: false, noEmitOnError: true },
      files: [entry],
      include: [],
    }),
  );
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], {
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`tsc failed: ${build.stdout}${build.stderr}`);
  }
  const child = fork(join(dir, 'out/test/support/child-test-app.main.js'), [], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  let exit: string | undefined;
  child.on('exit', (code, signal) => (exit = signal ?? `exit ${code}`));
  const ready = await nextMessage(child, 'ready', 120_000).catch((err: Error) => {
    child.kill('SIGKILL');
    cleanUp();
    throw err;
  });
  const pid = child.pid ?? -1;
  return {
    ...ready,
    pid,
    exited: () => exit,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    settledMemory: async () => {
      const answer = nextMessage(child, 'memory', 30_000);
      child.send({ type: 'gc' });
      const { rss, heapUsed } = await answer;
      return { rss, heapUsed };
    },
    close: async () => {
      if (exit === undefined) {
        const exited = once(child, 'exit');
        child.send({ type: 'close' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      cleanUp();
    },
  };
}

function nextMessage<T extends ChildAppMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Omit<Extract<ChildAppMessage, { type: T }>, 'type'>> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`child app: no "${type}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: ChildAppMessage) => {
      if (message.type === type) {
        finish(undefined, message as Extract<ChildAppMessage, { type: T }>);
      }
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`child app exited (${signal ?? code}) before "${type}"`));
    function finish(err?: Error, message?: Extract<ChildAppMessage, { type: T }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err || !message) {
        reject(err ?? new Error('no message'));
      } else {
        const { type: _type, ...rest } = message;
        resolvePromise(rest);
      }
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}
