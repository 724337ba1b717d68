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

  async destroy(): Promise<void> {
    const pidFile = join(this.dataDir, 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 'SIGQUIT'); // the postmaster's immediate shutdown
          for (let i = 0; i < 100 && isAlive(pid); i++) {
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          if (isAlive(pid)) {
            process.kill(pid, 'SIGKILL');
          }
        } catch {
          // already gone
        }
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
