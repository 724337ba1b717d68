import type { LoggerService } from '@nestjs/common';

export type LogLevelName = 'error' | 'warn' | 'info' | 'debug';

const RANK: Record<LogLevelName, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Nest's framework chatter at start (module wiring, route mapping): debug, not info. */
const BOOTSTRAP_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
  'NestApplicationContext',
]);

const WARNED = Symbol.for('tessera.log.warnedOnce');

/**
 * The warnings already printed in this process. Kept on globalThis so that it is one set per
 * process even where modules are loaded more than once (test runners).
 */
function warnedOnce(): Set<string> {
  const holder = globalThis as { [WARNED]?: Set<string> };
  holder[WARNED] ??= new Set();
  return holder[WARNED];
}

/** True the first time `key` is seen in this process; every warning is printed once. */
export function firstTime(key: string): boolean {
  const seen = warnedOnce();
  if (seen.has(key)) {
    return false;
  }
  seen.add(key);
  return true;
}

export interface LogSink {
  out(line: string): void;
  err(line: string): void;
}

const stdio: LogSink = {
  out: (line) => process.stdout.write(line),
  err: (line) => process.stderr.write(line),
};

/**
 * Structured logs: one JSON object per line with an ISO-8601 `time`, a `level` among
 * error/warn/info/debug, the `context` and the `msg` (an object message is merged in as fields).
 * Nest's bootstrap lines are logged at debug; each distinct warning is printed once per process.
 * Errors go to stderr, the rest to stdout.
 */
export class JsonLogger implements LoggerService {
  private readonly max: number;

  constructor(
    level: string,
    private readonly sink: LogSink = stdio,
  ) {
    this.max = RANK[level as LogLevelName] ?? RANK.info;
  }

  enabled(level: LogLevelName): boolean {
    return RANK[level] <= this.max;
  }

  log(message: unknown, ...rest: unknown[]): void {
    const context = contextOf(rest);
    this.write(BOOTSTRAP_CONTEXTS.has(context ?? '') ? 'debug' : 'info', message, context);
  }

  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack?, context?).
    const context = contextOf(rest);
    const stack = rest.length >= 2 && typeof rest[0] === 'string' ? rest[0] : undefined;
    this.write('error', message, context, stack);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.error(message, ...rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    const context = contextOf(rest);
    if (this.enabled('warn') && firstTime(`${context ?? ''}|${textOf(message)}`)) {
      this.write('warn', message, context);
    }
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, contextOf(rest));
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, contextOf(rest));
  }

  private write(level: LogLevelName, message: unknown, context?: string, stack?: string): void {
    if (!this.enabled(level)) {
      return;
    }
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level };
    if (context) {
      entry.context = context;
    }
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      Object.assign(entry, message);
    } else {
      entry.msg = textOf(message);
    }
    if (stack && this.enabled('debug')) {
      entry.stack = stack;
    }
    const line = `${JSON.stringify(entry)}\n`;
    if (level === 'error') {
      this.sink.err(line);
    } else {
      this.sink.out(line);
    }
  }
}

function contextOf(rest: unknown[]): string | undefined {
  const last = rest.at(-1);
  return typeof last === 'string' ? last : undefined;
}

function textOf(message: unknown): string {
  if (message instanceof Error) {
    return message.message;
  }
  return typeof message === 'string' ? message : JSON.stringify(message);
}

export function createJsonLogger(level: string): JsonLogger {
  return new JsonLogger(level);
}
