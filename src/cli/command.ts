import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';

/** What a command prints: `text` for people, `json` (with --json) for scripts. */
export interface CommandOutput {
  text: string;
  json: unknown;
}

export interface CommandContext {
  config: AppConfig;
  /** Options and positionals after the command words (util.parseArgs). */
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** Standard input (for --password-stdin), read only when a command asks for it. */
  stdin(): Promise<string>;
  /** The Nest application context with the same services as the admin API (opened on demand). */
  app(): Promise<INestApplicationContext>;
}

/** One CLI command: `words` as typed (`clients create`), its options and what it does. */
export interface Command {
  words: string[];
  summary: string;
  usage: string;
  options?: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  run(ctx: CommandContext): Promise<CommandOutput>;
}

/** A usage or input error: printed as one line, exit 2. */
export class UsageError extends Error {}
