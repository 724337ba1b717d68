import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BuiltApp {
  /** Directory holding the compiled tree (src/main.js, src/cli/main.js) and a node_modules link. */
  dir: string;
  main: string;
  cli: string;
  remove(): void;
}

/** Compiles the sources as `npm run build` does, into a directory of its own (~10 s). */
export function buildApp(): BuiltApp {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-built-'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.build.json'),
      compilerOptions: { outDir: join(dir, 'out'), rootDir: ROOT, sourceMap: false, noEmitOnError: true },
      include: [join(ROOT, 'src'), join(ROOT, 'ormconfig.ts')],
      exclude: [join(ROOT, 'src/**/*.spec.ts')],
    }),
  );
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], {
    encoding: 'utf8',
  });
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (build.status !== 0) {
    remove();
    throw new Error(`tsc failed: ${build.stdout}${build.stderr}`);
  }
  return { dir, main: join(dir, 'out/src/main.js'), cli: join(dir, 'out/src/cli/main.js'), remove };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `node script args` with exactly `env` (plus PATH), in `cwd`; killed after `killAfterMs`.
 * Resolves when it exits.
 */
export function runNode(
  script: string,
  args: string[],
  options: { env: Record<string, string>; cwd: string; killAfterMs?: number; input?: string },
): Promise<RunResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.input ?? '');
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      // let the pipes drain
      setImmediate(() => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
    });
  });
}

/** The JSON log lines of an output (other lines, such as the printed admin token, are skipped). */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
