/**
 * Exit codes of `node dist/src/main.js` (and the CLI), documented in docs/operations.md.
 * A start-up failure prints ONE error line naming the variable to check, never a stack trace.
 */
export const ExitCode = {
  /** Normal end (SIGTERM/SIGINT drained in time). */
  ok: 0,
  /** Unexpected error, or shutdown took longer than SHUTDOWN_TIMEOUT. */
  unexpected: 1,
  /** Invalid configuration: an environment variable is missing or malformed. */
  config: 2,
  /** The database or Redis could not be reached within STARTUP_TIMEOUT_MS. */
  unreachable: 3,
  /** A listener could not bind: the port is in use or not permitted (PORT / ADMIN_PORT). */
  bind: 4,
  /** A signing key cannot be decrypted: KEY_ENCRYPTION_SECRET differs from the one that encrypted it. */
  keySecret: 5,
  /** A database migration failed. */
  migration: 6,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A start-up failure: its message is the one line printed; exitCode is what the process exits with. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.unexpected,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

/** A signing key that does not decrypt with KEY_ENCRYPTION_SECRET. */
export class KeyDecryptionError extends Error {
  constructor(kid: string) {
    super(
      `cannot decrypt signing key ${kid}: KEY_ENCRYPTION_SECRET differs from the secret that encrypted it`,
    );
    this.name = 'KeyDecryptionError';
  }
}

/** host:port list of a database or Redis URL, without credentials, for error lines. */
export function addressOf(url: string): string {
  const match = /^[a-z+]+:\/\/(?:[^@/]*@)?([^/?#]*)/i.exec(url);
  return match?.[1] || url.replace(/\/\/[^@/]*@/, '//');
}

/** The most telling text of an error (the first of an AggregateError, the code when there is one). */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return describeError(err.errors[0]);
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const text = err.message || err.name;
    return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
  }
  return String(err);
}
