import { accessSync, constants } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvSchema } from './env.schema.js';
import { productionSecretProblem } from './production-secrets.js';

export type DatabaseConfig =
  | { type: 'sqlite'; path: string }
  /** timeoutMs: how long a query may wait for its answer (DATABASE_TIMEOUT_MS). */
  | { type: 'postgres'; url: string; schema?: string; timeoutMs?: number };

export interface ScopeDescription {
  name: string;
  description: string;
}

/** Typed, validated configuration; one instance per process, injected by class. */
export class AppConfig {
  constructor(
    readonly env: EnvSchema,
    readonly issuer: string,
    readonly database: DatabaseConfig,
    readonly scopes: ScopeDescription[],
  ) {}

  get redisUrl(): string | undefined {
    return this.env.REDIS_URL;
  }
}

export class ConfigError extends Error {}

function parseScopes(spec: string): ScopeDescription[] {
  return spec
    .split(';')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const [name = '', ...rest] = pair.split('=');
      if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(name.trim())) {
        throw new ConfigError(`Invalid environment variables: SCOPES has an invalid scope name "${name}"`);
      }
      return { name: name.trim(), description: rest.join('=').trim() || name.trim() };
    });
}

function databaseFrom(url: string | undefined, timeoutMs: number): DatabaseConfig {
  if (!url) {
    return { type: 'sqlite', path: 'data/tessera.sqlite' };
  }
  if (url.startsWith('sqlite:')) {
    return { type: 'sqlite', path: url.slice('sqlite:'.length) };
  }
  return { type: 'postgres', url, timeoutMs };
}

/** Validates an environment (default: process.env); throws ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value !== '') {
      raw[key] = value;
    }
  }
  const env = plainToInstance(EnvSchema, raw, { enableImplicitConversion: false });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ') || 'invalid value'}`,
    );
    throw new ConfigError(`Invalid environment variables: ${lines.join(' | ')}`);
  }
  const issuer = (env.ISSUER ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  const secretProblem = productionSecretProblem(env, issuer, source.NODE_ENV);
  if (secretProblem) {
    throw new ConfigError(`Refusing to start: ${secretProblem}`);
  }
  if (env.OUTBOUND_CA_FILE) {
    try {
      accessSync(env.OUTBOUND_CA_FILE, constants.R_OK);
    } catch {
      throw new ConfigError(
        `Invalid environment variables: OUTBOUND_CA_FILE cannot be read (${env.OUTBOUND_CA_FILE})`,
      );
    }
  }
  if (env.OUTBOUND_ALLOW_PRIVATE && issuer.startsWith('https:')) {
    throw new ConfigError(
      'OUTBOUND_ALLOW_PRIVATE=true is a development override and is refused when ISSUER is https',
    );
  }
  return new AppConfig(
    env,
    issuer,
    databaseFrom(env.DATABASE_URL, env.DATABASE_TIMEOUT_MS),
    parseScopes(env.SCOPES),
  );
}
