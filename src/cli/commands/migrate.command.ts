import { openDatabase } from '../../app/shared-resources.js';
import { runMigrations } from '../../database/run-migrations.js';
import { describeError, ExitCode, StartupError } from '../../startup/exit-codes.js';
import type { Command } from '../command.js';

/** Applies pending migrations (or reverts the last one), one line per migration; SQL only with --verbose. */
export const migrate: Command = {
  words: ['migrate'],
  summary: 'Apply pending database migrations (--revert: undo the last one). Quiet unless --verbose.',
  usage: 'migrate [--revert] [--verbose]',
  options: { revert: { type: 'boolean' }, verbose: { type: 'boolean' } },
  async run(ctx) {
    const dataSource = await openDatabase(ctx.config, { verbose: ctx.values.verbose === true });
    try {
      if (ctx.values.revert === true) {
        await dataSource.undoLastMigration({ transaction: 'each' });
        return { json: { reverted: true }, text: 'reverted the last migration\n' };
      }
      const applied = await runMigrations(dataSource);
      const names = applied.map((m) => m.name);
      return {
        json: { applied: names },
        text: names.length === 0 ? 'database is up to date\n' : names.map((n) => `applied ${n}\n`).join(''),
      };
    } catch (err) {
      throw new StartupError(`migration failed: ${describeError(err)}`, ExitCode.migration);
    } finally {
      await dataSource.destroy();
    }
  },
};
