import 'reflect-metadata';
import { DEV_KEY_ENCRYPTION_SECRET } from '../common/crypto/key-encryption.js';
import { DEV_COOKIE_SECRET } from '../sessions/cookie-secret.js';
import { ConfigError, loadConfig } from './app-config.js';

const load = (env: Record<string, string | undefined>) => () => loadConfig(env);

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config.env).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      ADMIN_PORT: 3001,
      ADMIN_HOST: '127.0.0.1',
      LISTENERS: 'all',
      MIGRATIONS_RUN: true,
      REGISTRATION_POLICY: 'token',
      LOG_LEVEL: 'info',
      BODY_LIMIT: 65536,
      ACCESS_TOKEN_TTL: 600,
    });
    expect(config.env.ADMIN_TOKEN).toBeUndefined();
    expect(config.env.REDIS_URL).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.issuer).toBe('http://localhost:3000');
    expect(config.database).toEqual({ type: 'sqlite', path: 'data/tessera.sqlite' });
  });

  it('derives the default issuer from PORT and strips a trailing slash from ISSUER', () => {
    expect(loadConfig({ PORT: '8080' }).issuer).toBe('http://localhost:8080');
    const secrets = { KEY_ENCRYPTION_SECRET: 'k'.repeat(32), COOKIE_SECRET: 'c'.repeat(32) };
    expect(loadConfig({ ...secrets, ISSUER: 'https://auth.example.com/' }).issuer).toBe(
      'https://auth.example.com',
    );
    expect(loadConfig({ ...secrets, ISSUER: 'https://example.com/tenant' }).issuer).toBe(
      'https://example.com/tenant',
    );
  });

  describe('ISSUE16-M3: production refuses to start with missing, default or short secrets', () => {
    const good = { KEY_ENCRYPTION_SECRET: 'k'.repeat(32), COOKIE_SECRET: 'c'.repeat(32) };
    it.each([
      [{ ISSUER: 'https://as.example.com', COOKIE_SECRET: good.COOKIE_SECRET }, 'KEY_ENCRYPTION_SECRET'],
      [
        { ISSUER: 'https://as.example.com', KEY_ENCRYPTION_SECRET: good.KEY_ENCRYPTION_SECRET },
        'COOKIE_SECRET',
      ],
      [{ NODE_ENV: 'production', KEY_ENCRYPTION_SECRET: good.KEY_ENCRYPTION_SECRET }, 'COOKIE_SECRET'],
      [
        { ...good, ISSUER: 'https://as.example.com', KEY_ENCRYPTION_SECRET: DEV_KEY_ENCRYPTION_SECRET },
        'KEY_ENCRYPTION_SECRET',
      ],
      [{ ...good, NODE_ENV: 'production', COOKIE_SECRET: DEV_COOKIE_SECRET }, 'COOKIE_SECRET'],
      // Shorter than 32: the schema's own MinLength(32) refuses it, naming the variable (below).
    ])('%j → one line naming %s', (env, name) => {
      let message = '';
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        message = (err as Error).message;
      }
      expect(message).toMatch(new RegExp(`^Refusing to start: ${name} `));
      expect(message).not.toContain('\n');
    });

    it('development on http starts without them', () => {
      expect(loadConfig({ ISSUER: 'http://127.0.0.1:3000' }).env.COOKIE_SECRET).toBeUndefined();
    });

    it('https with both secrets set starts', () => {
      expect(loadConfig({ ...good, ISSUER: 'https://as.example.com' }).issuer).toBe('https://as.example.com');
    });
  });

  it('converts numbers and booleans from their string form', () => {
    const config = loadConfig({ PORT: '4000', ADMIN_PORT: '4001', MIGRATIONS_RUN: 'false' });
    expect(config.env.PORT).toBe(4000);
    expect(config.env.ADMIN_PORT).toBe(4001);
    expect(config.env.MIGRATIONS_RUN).toBe(false);
  });

  it('treats empty values as unset (ADMIN_TOKEN= generates a bootstrap token, DATABASE_URL= is SQLite)', () => {
    const config = loadConfig({ ADMIN_TOKEN: '', DATABASE_URL: '', REDIS_URL: '', PORT: '' });
    expect(config.env.ADMIN_TOKEN).toBeUndefined();
    expect(config.database.type).toBe('sqlite');
    expect(config.redisUrl).toBeUndefined();
    expect(config.env.PORT).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '3000.5' }, 'PORT'],
    [{ ADMIN_PORT: 'x' }, 'ADMIN_PORT'],
    [{ REGISTRATION_POLICY: 'sometimes' }, 'REGISTRATION_POLICY'],
    [{ ISSUER: 'https://auth.example.com/?tenant=a' }, 'ISSUER'],
    [{ ISSUER: 'https://auth.example.com/#frag' }, 'ISSUER'],
    [{ ISSUER: 'ftp://auth.example.com' }, 'ISSUER'],
    [{ ISSUER: 'not a url' }, 'ISSUER'],
    [{ ADMIN_TOKEN: 'too-short' }, 'ADMIN_TOKEN'],
    [{ KEY_ENCRYPTION_SECRET: 'short' }, 'KEY_ENCRYPTION_SECRET'],
    [{ DATABASE_URL: 'mysql://db/tessera' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    [{ LISTENERS: 'both' }, 'LISTENERS'],
    [{ BODY_LIMIT: '10' }, 'BODY_LIMIT'],
    [{ ACCESS_TOKEN_TTL: '5' }, 'ACCESS_TOKEN_TTL'],
    [{ SCOPES: 'openid=Sign in;bad"scope=x' }, 'SCOPES'],
  ])('refuses %j, naming %s', (env, name) => {
    expect(load(env)).toThrow(ConfigError);
    expect(load(env)).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('names every bad variable at once', () => {
    expect(load({ PORT: 'abc', REGISTRATION_POLICY: 'nope' })).toThrow(
      /PORT.*REGISTRATION_POLICY|REGISTRATION_POLICY.*PORT/,
    );
  });

  it('accepts a 32-character ADMIN_TOKEN', () => {
    expect(loadConfig({ ADMIN_TOKEN: 'a'.repeat(32) }).env.ADMIN_TOKEN).toBe('a'.repeat(32));
  });

  it.each([
    [
      'postgres://u:p@db:5432/tessera',
      { type: 'postgres', url: 'postgres://u:p@db:5432/tessera', timeoutMs: 5000 },
    ],
    ['postgresql://db/tessera', { type: 'postgres', url: 'postgresql://db/tessera', timeoutMs: 5000 }],
    ['sqlite:/var/lib/tessera/db.sqlite', { type: 'sqlite', path: '/var/lib/tessera/db.sqlite' }],
    ['sqlite::memory:', { type: 'sqlite', path: ':memory:' }],
  ])('parses DATABASE_URL %s', (url, expected) => {
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual(expected);
  });

  it('passes DATABASE_TIMEOUT_MS to the PostgreSQL configuration and refuses values under 100', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db/tessera', DATABASE_TIMEOUT_MS: '1500' });
    expect(config.database).toEqual({ type: 'postgres', url: 'postgres://db/tessera', timeoutMs: 1500 });
    expect(() => loadConfig({ DATABASE_TIMEOUT_MS: '50' })).toThrow(/DATABASE_TIMEOUT_MS/);
  });

  it('parses SCOPES as name=description pairs; a missing description falls back to the name', () => {
    expect(loadConfig({ SCOPES: ' read=Read your data ; write ;admin=Do a=b things;' }).scopes).toEqual([
      { name: 'read', description: 'Read your data' },
      { name: 'write', description: 'write' },
      { name: 'admin', description: 'Do a=b things' },
    ]);
    expect(loadConfig({}).scopes.map((s) => s.name)).toEqual([
      'openid',
      'profile',
      'email',
      'offline_access',
      'notes:read',
      'notes:write',
    ]);
  });

  it('reads REDIS_URL when set', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(loadConfig({ REDIS_URL: 'rediss://cache:6380' }).redisUrl).toBe('rediss://cache:6380');
  });

  it('R-MCP-7: refuses OUTBOUND_ALLOW_PRIVATE=true when the issuer is https, in one clear line', () => {
    // Production secrets set, so the refusal is the OUTBOUND_ALLOW_PRIVATE one (issue 16 M3 is checked first).
    const secrets = { KEY_ENCRYPTION_SECRET: 'k'.repeat(32), COOKIE_SECRET: 'c'.repeat(32) };
    expect(load({ ...secrets, ISSUER: 'https://auth.example.com', OUTBOUND_ALLOW_PRIVATE: 'true' })).toThrow(
      /^OUTBOUND_ALLOW_PRIVATE=true is a development override and is refused when ISSUER is https$/,
    );
    expect(loadConfig({ OUTBOUND_ALLOW_PRIVATE: 'true' }).env.OUTBOUND_ALLOW_PRIVATE).toBe(true);
    expect(load({ OUTBOUND_CA_FILE: '/nonexistent/ca.pem' })).toThrow(/OUTBOUND_CA_FILE cannot be read/);
    expect(loadConfig({ ...secrets, ISSUER: 'https://auth.example.com' }).env).toMatchObject({
      OUTBOUND_ALLOW_PRIVATE: false,
      OUTBOUND_TIMEOUT_MS: 5000,
      OUTBOUND_CONNECT_TIMEOUT_MS: 2000,
      OUTBOUND_MAX_BYTES: 262144,
    });
  });
});
