import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { closeSharedResources, openSharedResources, type SharedResources } from '../app/shared-resources.js';
import { JsonLogger } from '../common/logging/json-logger.js';
import { loadConfig, type AppConfig } from '../config/app-config.js';
import { describeError, ExitCode, KeyDecryptionError, StartupError } from '../startup/exit-codes.js';
import { CliModule } from './cli.module.js';
import { UsageError, type Command, type CommandContext } from './command.js';
import { COMMANDS } from './commands/index.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  stdin: () => Promise<string>;
}

function help(): string {
  const lines = COMMANDS.map((c) => `  tessera ${c.usage}\n      ${c.summary}`);
  return (
    'Usage: tessera <command> [options] [--json]\n\n' +
    'Configuration comes from the environment and ./.env, as for the server (see .env.example).\n\n' +
    `${lines.join('\n')}\n\nExit codes: 0 done, 1 unexpected error, 2 usage or invalid input, 3 database or Redis unreachable, 5 KEY_ENCRYPTION_SECRET differs, 6 migration failed.\n`
  );
}

function find(argv: string[]): { command: Command; rest: string[] } | undefined {
  return COMMANDS.map((command) => ({ command, rest: argv.slice(command.words.length) }))
    .filter(({ command }) => command.words.every((w, i) => argv[i] === w))
    .sort((a, b) => b.command.words.length - a.command.words.length)[0];
}

/** Runs one `tessera` command; returns the exit code. Used by bin (src/cli/main.ts) and the tests. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    io.out(help());
    return argv.length === 0 ? ExitCode.config : ExitCode.ok;
  }
  const found = find(argv);
  if (!found) {
    io.err(`unknown command: ${argv.join(' ')}\n\n${help()}`);
    return ExitCode.config;
  }
  let json = false;
  let shared: SharedResources | undefined;
  let app: INestApplicationContext | undefined;
  try {
    const parsed = parseArgs({
      args: found.rest,
      options: { ...(found.command.options ?? {}), json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    json = parsed.values.json === true;
    let config: AppConfig;
    try {
      config = loadConfig(io.env);
    } catch (err) {
      throw new StartupError(describeError(err), ExitCode.config);
    }
    // Logs go to stderr only, so that stdout carries the result (JSON with --json).
    const level = config.env.LOG_LEVEL === 'debug' ? 'debug' : 'error';
    const logger = new JsonLogger(level, { out: io.err, err: io.err });
    Logger.overrideLogger(logger);
    const ctx: CommandContext = {
      config,
      values: parsed.values,
      positionals: parsed.positionals,
      stdin: io.stdin,
      app: async () => {
        if (!app) {
          shared = await openSharedResources(config);
          app = await NestFactory.createApplicationContext(CliModule.forRoot(shared), {
            logger,
            abortOnError: false,
          });
        }
        return app;
      },
    };
    const output = await found.command.run(ctx);
    io.out(json ? `${JSON.stringify(output.json)}\n` : output.text);
    return ExitCode.ok;
  } catch (err) {
    const [code, message] =
      err instanceof UsageError || String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')
        ? [ExitCode.config, (err as Error).message]
        : err instanceof StartupError
          ? [err.exitCode, err.message]
          : err instanceof KeyDecryptionError
            ? [ExitCode.keySecret, err.message]
            : [ExitCode.unexpected, describeError(err)];
    io.err(json ? `${JSON.stringify({ error: message, exit_code: code })}\n` : `tessera: ${message}\n`);
    return code;
  } finally {
    await app?.close().catch(() => undefined);
    if (shared) {
      await closeSharedResources(shared).catch(() => undefined);
    }
  }
}
