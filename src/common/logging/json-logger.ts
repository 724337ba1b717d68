import { ConsoleLogger, type LogLevel } from '@nestjs/common';

const LEVELS: Record<string, LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** Structured JSON logs (one object per line) at the configured level. */
export function createJsonLogger(level: string): ConsoleLogger {
  return new ConsoleLogger({ json: true, logLevels: LEVELS[level] ?? LEVELS.info, colors: false });
}
