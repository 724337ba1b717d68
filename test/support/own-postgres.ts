import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './listening-app.js';

/** The newest installed PostgreSQL server's bin directory (initdb, pg_ctl, postgres), or undefined. */
function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) {
    return undefined;
  }
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  return versions
    .map((v) => join(root, v, 'bin'))
    .find((bin) => ['initdb', 'pg_ctl', 'postgres'].every((tool) => existsSync(join(bin, tool))));
}

const binDir = postgresBinDir();
const hasRunuser = spawnSync('runuser', ['--help']).status === 0;
const hasPostgresUser = spawnSync('id', ['postgres']).status === 0;

/** Why an own PostgreSQL cannot run here, or undefined when it can. */
export const ownPostgresUnavailable: string | undefined = !binDir
  ? 'no PostgreSQL server binaries under /usr/lib/postgresql'
  : !hasRunuser
    ? 'runuser is not installed'
    : !hasPostgresUser
      ? 'there is no postgres user'
      : undefined;

/**
 * A throw-away PostgreSQL cluster of the test's own on a spare loopback port (so the machine's
 * shared server is never stopped), run as the postgres user since it refuses root. `crash()`
 * is an immediate stop (no checkpoint: crash recovery at the next start); `destroy()` kills
 * it and removes its files, and is safe to call in afterAll whatever state it is in.
 */
export class OwnPostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  static async create(): Promise<OwnPostgres> {
    if (ownPostgresUnavailable) {
      throw new Error(ownPostgresUnavailable);
    }
    const dir = mkdtempSync(join(tmpdir(), 'tessera-pg-'));
    const pg = new OwnPostgres(await freePort(), dir);
    try {
      const { uid, gid } = postgresUser();
      chownSync(dir, uid, gid);
      await pg.asPostgres('initdb', [
        '-D',
        pg.dataDir,
        '-A',
        'trust',
        '-U',
        'postgres',
        '-E',
        'UTF8',
        '--no-sync',
      ]);
      await pg.start();
      return pg;
    } catch (err) {
      await pg.destroy();
      throw err;
    }
  }

  /** Starts the server and waits until it accepts connections (asynchronously: the app keeps serving). */
  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.asPostgres('pg_ctl', [
      'start',
      '-w',
      '-t',
      '30',
      '-D',
      this.dataDir,
      '-l',
      join(this.dir, 'log'),
      '-o',
      options,
    ]);
  }

  /** `pg_ctl stop -m immediate`: every backend quits at once, as in a crash. */
  async crash(): Promise<void> {
    await this.asPostgres('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', this.dataDir]);
  }

  /**
   * SIGSTOP to the postmaster, then to every process it started (backends, background workers):
   * connections stay open and nothing answers, as with a hung host. Returns the processes stopped.
   */
  pause(): number {
    const postmaster = this.postmasterPid();
    if (postmaster === undefined) {
      return 0;
    }
    signal(postmaster, 'SIGSTOP'); // first, so it starts no new backend meanwhile
    const children = childPids(postmaster);
    children.forEach((pid) => signal(pid, 'SIGSTOP'));
    return 1 + children.length;
  }

  /** SIGCONT to the postmaster and every process it started; harmless when not paused. */
  resume(): void {
    const postmaster = this.postmasterPid();
    if (postmaster !== undefined) {
      childPids(postmaster).forEach((pid) => signal(pid, 'SIGCONT'));
      signal(postmaster, 'SIGCONT');
    }
  }

  private postmasterPid(): number | undefined {
    const pidFile = join(this.dataDir, 'postmaster.pid');
    if (!existsSync(pidFile)) {
      return undefined;
    }
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  async destroy(): Promise<void> {
    this.resume(); // a stopped postmaster would not act on SIGQUIT
    const pid = this.postmasterPid();
    if (pid !== undefined) {
      signal(pid, 'SIGQUIT'); // the postmaster's immediate shutdown
      for (let i = 0; i < 100 && isAlive(pid); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (isAlive(pid)) {
        signal(pid, 'SIGKILL');
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async asPostgres(tool: string, args: string[]): Promise<void> {
    await promisify(execFile)('runuser', ['-u', 'postgres', '--', join(binDir as string, tool), ...args], {
      timeout: 60_000,
    });
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number.parseInt(execFileSync('id', [flag, 'postgres']).toString(), 10);
  return { uid: id('-u'), gid: id('-g') };
}

/** The direct children of `pid` (pgrep -P); none when it has none or is gone. */
function childPids(pid: number): number[] {
  const found = spawnSync('pgrep', ['-P', String(pid)]);
  return found.stdout
    .toString()
    .split('\n')
    .map((line) => Number.parseInt(line, 10))
    .filter((child) => Number.isInteger(child) && child > 0);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
