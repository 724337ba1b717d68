import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { EnvVar } from './env-var.decorator.js';

const toBool = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;

/**
 * Every environment variable Tessera reads, with its description, default and validators.
 * `loadConfig()` validates `process.env` against this class once at start and refuses to
 * start on a bad value, naming it.
 */
export class EnvSchema {
  @EnvVar({
    description: 'Port of the public listener (OAuth endpoints, login pages, discovery).',
    default: '3000',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @EnvVar({ description: 'Interface the public listener binds to.', default: '0.0.0.0' })
  @IsString()
  HOST = '0.0.0.0';

  @EnvVar({ description: 'Port of the admin listener (admin REST API, OpenAPI docs).', default: '3001' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  ADMIN_PORT = 3001;

  @EnvVar({
    description: 'Interface the admin listener binds to. Keep it private: loopback unless set.',
    default: '127.0.0.1',
  })
  @IsString()
  ADMIN_HOST = '127.0.0.1';

  @EnvVar({ description: 'Which listeners this process serves: all, public or admin.', default: 'all' })
  @IsIn(['all', 'public', 'admin'])
  LISTENERS: 'all' | 'public' | 'admin' = 'all';

  @EnvVar({
    description:
      'Issuer identifier (RFC 8414): the public base URL, no query or fragment. Use https in production.',
    default: 'http://localhost:${PORT}',
  })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @Matches(/^[^?#]*$/, { message: 'ISSUER must not contain a query or fragment' })
  ISSUER?: string;

  @EnvVar({
    description:
      'Database. Unset: SQLite file ./data/tessera.sqlite. postgres://user:pass@host:5432/db: PostgreSQL. sqlite:PATH: another SQLite file.',
    sensitive: true,
  })
  @IsOptional()
  @Matches(/^(postgres(ql)?:\/\/.+|sqlite:.+)$/, {
    message: 'DATABASE_URL must start with postgres://, postgresql:// or sqlite:',
  })
  DATABASE_URL?: string;

  @EnvVar({ description: 'Run pending migrations at start.', default: 'true' })
  @Transform(toBool)
  @IsBoolean()
  MIGRATIONS_RUN = true;

  @EnvVar({
    description:
      'Milliseconds a PostgreSQL query may wait for its answer before it counts as an outage (503), also when PostgreSQL hangs; so it also bounds how long shutdown drains a request waiting on a hung PostgreSQL. Not used with SQLite.',
    default: '5000',
  })
  @Type(() => Number)
  @IsInt()
  @Min(100)
  DATABASE_TIMEOUT_MS = 5000;

  @EnvVar({
    description:
      'Redis for short-lived state (codes, sessions, rate limits, cache invalidation): redis://host:6379, rediss://…, redis+cluster://host:port,host:port (Redis Cluster) or redis+sentinel://host:26379,host:26379/mastername (Sentinel). Unset: an in-process store, single instance only.',
    sensitive: true,
  })
  @IsOptional()
  @Matches(/^(rediss?|rediss?\+cluster|redis\+sentinel):\/\/.+/, {
    message: 'REDIS_URL must start with redis://, rediss://, redis+cluster:// or redis+sentinel://',
  })
  REDIS_URL?: string;

  @EnvVar({
    description:
      'Replicas that must hold a short-lived-store write before it counts as done (Redis WAIT; with Sentinel, 1 keeps every acknowledged write across a failover, at one extra round trip per write). 0: asynchronous replication. Not for redis+cluster://.',
    default: '0',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  REDIS_WAIT_REPLICAS = 0;

  @EnvVar({
    description:
      'Milliseconds after which a short-lived store call counts as an outage (503), also when Redis hangs; also bounds closing the Redis connections.',
    default: '1000',
  })
  @Type(() => Number)
  @IsInt()
  @Min(10)
  STORE_TIMEOUT_MS = 1000;

  @EnvVar({
    description:
      'Milliseconds start-up may wait to reach the database and Redis; past it the process exits (code 3) with one line naming the variable and the address.',
    default: '10000',
  })
  @Type(() => Number)
  @IsInt()
  @Min(100)
  STARTUP_TIMEOUT_MS = 10000;

  @EnvVar({
    description:
      'Prometheus metrics: GET /metrics on the admin listener (see docs/operations.md). false: no /metrics and no per-request timing.',
    default: 'true',
  })
  @Transform(toBool)
  @IsBoolean()
  METRICS_ENABLED = true;

  @EnvVar({
    description:
      'Bootstrap admin bearer credential (at least 32 characters). Unset: one is generated at first start, printed once, and only its hash is stored.',
    sensitive: true,
  })
  @IsOptional()
  @IsString()
  @MinLength(32)
  ADMIN_TOKEN?: string;

  @EnvVar({
    description:
      'Secret that encrypts signing keys at rest (AES-256-GCM, at least 32 characters). Required with an https ISSUER or NODE_ENV=production (start-up is refused); unset in development on http: an insecure default, with a loud warning.',
    sensitive: true,
  })
  @IsOptional()
  @IsString()
  @MinLength(32)
  KEY_ENCRYPTION_SECRET?: string;

  @EnvVar({
    description:
      'Dynamic client registration (RFC 7591): token (initial access token required), open (public clients without a token, rate-limited) or disabled.',
    default: 'token',
  })
  @IsIn(['token', 'open', 'disabled'])
  REGISTRATION_POLICY: 'token' | 'open' | 'disabled' = 'token';

  @EnvVar({ description: 'Open registrations allowed per IP per hour.', default: '20' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  OPEN_REGISTRATION_RATE_LIMIT = 20;

  @EnvVar({
    description:
      'argon2id memory per password hash, in KiB (ADR 0005; OWASP minimum 19456 = 19 MiB). Existing hashes are upgraded at their next login.',
    default: '19456',
  })
  @Type(() => Number)
  @IsInt()
  @Min(8192)
  @Max(4194304)
  PASSWORD_HASH_MEMORY_KIB = 19456;

  @EnvVar({ description: 'argon2id iterations per password hash (ADR 0005).', default: '2' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  PASSWORD_HASH_TIME_COST = 2;

  @EnvVar({ description: 'argon2id lanes per password hash (ADR 0005).', default: '1' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(16)
  PASSWORD_HASH_PARALLELISM = 1;

  @EnvVar({
    description:
      'argon2id hashes computed at once; further logins wait their turn. 0 = the CPU cores this process may use.',
    default: '0',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(64)
  PASSWORD_HASH_CONCURRENCY = 0;

  @EnvVar({
    description:
      'Log level: error, warn, info or debug; the per-request access log is written at info and debug.',
    default: 'info',
  })
  @IsIn(['error', 'warn', 'info', 'debug'])
  LOG_LEVEL: 'error' | 'warn' | 'info' | 'debug' = 'info';

  @EnvVar({ description: 'Largest accepted request body in bytes (413 above).', default: '65536' })
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT = 65536;

  @EnvVar({
    description:
      'Trust X-Forwarded-* headers from these proxies (comma-separated IPs/CIDRs, or true). Unset: none.',
  })
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @EnvVar({
    description: 'Seconds a client may still use its previous secret after a rotation.',
    default: '86400',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  CLIENT_SECRET_ROTATION_GRACE = 86400;

  @EnvVar({
    description:
      'Seconds a cached client registration may be served if an invalidation is lost; admin changes invalidate the cache of every instance through Redis pub/sub within 1 s.',
    default: '60',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  CLIENT_CACHE_TTL = 60;

  @EnvVar({
    description:
      'Scopes this server knows, as name=description pairs separated by ";". Shown on the consent page.',
    default:
      'openid=Sign you in;profile=Read your profile;email=Read your email address;offline_access=Stay signed in;notes:read=Read your notes;notes:write=Change your notes',
  })
  @IsString()
  @MaxLength(10000)
  SCOPES =
    'openid=Sign you in;profile=Read your profile;email=Read your email address;offline_access=Stay signed in;notes:read=Read your notes;notes:write=Change your notes';

  @EnvVar({ description: 'Seconds an access token lives unless a client says otherwise.', default: '600' })
  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(86400)
  ACCESS_TOKEN_TTL = 600;

  @EnvVar({
    description: 'Seconds an authorization code stays redeemable (RFC 9700 recommends at most 600).',
    default: '60',
  })
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(600)
  AUTHORIZATION_CODE_TTL = 60;

  @EnvVar({
    description: 'Seconds an OpenID Connect ID token (and a signed UserInfo response) is valid.',
    default: '3600',
  })
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(86400)
  ID_TOKEN_TTL = 3600;

  @EnvVar({ description: 'Seconds an owner login session lasts (sliding is not applied).', default: '3600' })
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(30 * 86400)
  SESSION_TTL = 3600;

  @EnvVar({
    description: 'Seconds a pending authorization request waits for login and consent.',
    default: '600',
  })
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(3600)
  AUTHORIZATION_REQUEST_TTL = 600;

  @EnvVar({
    description:
      'Require server-provided DPoP nonces (RFC 9449 section 8) at the token and PAR endpoints: a proof without the current nonce gets use_dpop_nonce. A DPoP-Nonce header is sent either way.',
    default: 'false',
  })
  @Transform(toBool)
  @IsBoolean()
  DPOP_NONCE_REQUIRED = false;

  @EnvVar({
    description:
      'Seconds per DPoP nonce window; a nonce is accepted in its window and the next (stateless HMAC, shared by all instances through KEY_ENCRYPTION_SECRET or COOKIE_SECRET).',
    default: '300',
  })
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3600)
  DPOP_NONCE_PERIOD = 300;

  @EnvVar({
    description:
      'Seconds a pushed authorization request (RFC 9126, POST /par) may wait before it is first used at /authorize (expires_in).',
    default: '60',
  })
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(600)
  PAR_REQUEST_TTL = 60;

  @EnvVar({
    description:
      'Require every client to push its authorization requests to /par first (RFC 9126 section 5); clients can also require it one by one (require_pushed_authorization_requests).',
    default: 'false',
  })
  @Transform(toBool)
  @IsBoolean()
  REQUIRE_PUSHED_AUTHORIZATION_REQUESTS = false;

  @EnvVar({
    description:
      'Secret that signs the session cookies and CSRF tokens (at least 32 characters). Required with an https ISSUER or NODE_ENV=production (start-up is refused); unset in development on http: derived from KEY_ENCRYPTION_SECRET (or an insecure default, with a warning).',
    sensitive: true,
  })
  @IsOptional()
  @IsString()
  @MinLength(32)
  COOKIE_SECRET?: string;

  @EnvVar({
    description:
      'Login attempts allowed per source address per window, counted before the password check; successful ones are credited back (then 429 for that address).',
    default: '30',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_IP = 30;

  @EnvVar({
    description:
      'Login attempts allowed per (username, source address) per window, counted before the password check (then 429 for that pair only; never a lock of the username).',
    default: '10',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_USERNAME = 10;

  @EnvVar({ description: 'Seconds of the login rate-limit window.', default: '900' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_RATE_LIMIT_WINDOW = 900;

  @EnvVar({
    description:
      'Attempts on one username per window before each further attempt waits a doubling delay (250 ms, 500 ms, …) before the password check.',
    default: '5',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  LOGIN_DELAY_AFTER_FAILURES = 5;

  @EnvVar({ description: 'Longest per-username login delay in milliseconds.', default: '8000' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60000)
  LOGIN_DELAY_MAX_MS = 8000;

  @EnvVar({
    description:
      "What an admin password reset does to the owner's grants: revoke (refresh and access tokens end) or keep. Sessions always end.",
    default: 'revoke',
  })
  @IsIn(['revoke', 'keep'])
  OWNER_PASSWORD_RESET_GRANTS: 'revoke' | 'keep' = 'revoke';

  @EnvVar({
    description: 'Seconds a device code and its user code stay valid (RFC 8628 expires_in).',
    default: '600',
  })
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(1800)
  DEVICE_CODE_TTL = 600;

  @EnvVar({
    description: 'Seconds a device must wait between token polls (RFC 8628 interval).',
    default: '5',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  DEVICE_CODE_INTERVAL = 5;

  @EnvVar({
    description: 'User-code entries allowed per client IP per window on /device (then 429).',
    default: '10',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  DEVICE_USER_CODE_ATTEMPTS_PER_IP = 10;

  @EnvVar({
    description: 'User-code entries allowed per browser session per window on /device (then 429).',
    default: '5',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  DEVICE_USER_CODE_ATTEMPTS_PER_SESSION = 5;

  @EnvVar({ description: 'Seconds of the /device user-code rate-limit window.', default: '60' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86400)
  DEVICE_USER_CODE_ATTEMPTS_WINDOW = 60;

  @EnvVar({ description: 'Product name shown on the login, consent and account pages.', default: 'Tessera' })
  @IsString()
  @MaxLength(100)
  BRAND_NAME = 'Tessera';

  @EnvVar({ description: 'Logo shown on the pages (https or same-origin URL). Unset: no logo.' })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  BRAND_LOGO_URL?: string;

  @EnvVar({ description: 'Accent colour of the pages (#rgb or #rrggbb).', default: '#2f5bea' })
  @Matches(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, { message: 'BRAND_COLOR must be #rgb or #rrggbb' })
  BRAND_COLOR = '#2f5bea';

  @EnvVar({
    description:
      'Origins allowed to call the browser-facing endpoints (metadata, /jwks, /token, /revoke, /register, the sample API) with CORS: * or a comma-separated list of origins. Credentials are never allowed; the pages and the admin listener never answer CORS.',
    default: '*',
  })
  @IsString()
  @Matches(/^(\*|https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*)$/, {
    message: 'CORS_ORIGINS must be * or a comma-separated list of origins (https://app.example.com)',
  })
  CORS_ORIGINS = '*';

  @EnvVar({
    description: 'Audience (aud) of access tokens requested without a resource parameter. Unset: the issuer.',
  })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  DEFAULT_AUDIENCE?: string;

  @EnvVar({
    description:
      'Absolute lifetime in seconds of a refresh-token grant (family) unless the client sets its own.',
    default: '2592000',
  })
  @Type(() => Number)
  @IsInt()
  @Min(60)
  REFRESH_TOKEN_TTL = 2592000;

  @EnvVar({
    description: 'Seconds a refresh token may stay unused before it expires (idle timeout).',
    default: '1209600',
  })
  @Type(() => Number)
  @IsInt()
  @Min(60)
  REFRESH_TOKEN_IDLE_TTL = 1209600;

  @EnvVar({
    description: 'Seconds between purges of expired refresh tokens and grants; 0 disables the job.',
    default: '300',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  REFRESH_TOKEN_PURGE_INTERVAL = 300;

  @EnvVar({
    description:
      'Failed client-secret checks per (client, source address) within 5 minutes before that address is refused for that client (429); other addresses are unaffected. 0 disables.',
    default: '20',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  CLIENT_AUTH_MAX_FAILURES = 20;

  @EnvVar({
    description:
      'Days audit events are kept before the bounded background purge deletes them; 0 keeps them forever.',
    default: '365',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  AUDIT_RETENTION_DAYS = 365;

  @EnvVar({
    description: 'Milliseconds between polls of the webhook outbox for due deliveries.',
    default: '1000',
  })
  @Type(() => Number)
  @IsInt()
  @Min(10)
  WEBHOOK_POLL_INTERVAL_MS = 1000;

  @EnvVar({
    description: 'Delivery attempts per webhook event before it is marked dead (at-least-once until then).',
    default: '15',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_MAX_ATTEMPTS = 15;

  @EnvVar({
    description: 'Milliseconds before the first webhook retry; each further retry doubles it (with jitter).',
    default: '2000',
  })
  @Type(() => Number)
  @IsInt()
  @Min(10)
  WEBHOOK_RETRY_BASE_MS = 2000;

  @EnvVar({ description: 'Longest wait in seconds between two webhook retries.', default: '3600' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  WEBHOOK_RETRY_MAX_DELAY = 3600;

  @EnvVar({
    description: 'Algorithm of new signing keys (access-token JWTs): ES256, EdDSA (Ed25519) or RS256.',
    default: 'ES256',
  })
  @IsIn(['ES256', 'EdDSA', 'RS256'])
  SIGNING_ALG: 'ES256' | 'EdDSA' | 'RS256' = 'ES256';

  @EnvVar({
    description: 'Seconds between automatic signing-key rotations (default 30 days).',
    default: '2592000',
  })
  @Type(() => Number)
  @IsInt()
  @Min(3600)
  KEY_ROTATION_INTERVAL = 2592000;

  @EnvVar({
    description:
      'Seconds a new signing key is published in the JWKS before it starts signing, so resource servers caching the JWKS know it first.',
    default: '86400',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  KEY_PUBLISH_LEAD_TIME = 86400;

  @EnvVar({
    description:
      'Resource identifier (aud) of the sample protected API (/api/me, /api/notes). Unset: ${ISSUER}/api.',
  })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @Matches(/^[^?#]*$/, { message: 'SAMPLE_API_AUDIENCE must not contain a query or fragment' })
  SAMPLE_API_AUDIENCE?: string;

  @EnvVar({
    description:
      'Client id the sample API introspects opaque tokens with (a client allowed to introspect). Unset: JWT access tokens only.',
  })
  @IsOptional()
  @IsString()
  SAMPLE_API_CLIENT_ID?: string;

  @EnvVar({ description: 'Client secret of SAMPLE_API_CLIENT_ID.', sensitive: true })
  @IsOptional()
  @IsString()
  SAMPLE_API_CLIENT_SECRET?: string;

  @EnvVar({
    description:
      'URL of human-readable documentation for developers using this server, published as service_documentation in the metadata. Unset: not published.',
  })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  SERVICE_DOCUMENTATION?: string;

  @EnvVar({
    description:
      'Development only: let outbound fetches (jwks_uri, metadata documents) reach loopback and private addresses, and use http. Refused at start when ISSUER is https.',
    default: 'false',
  })
  @Transform(toBool)
  @IsBoolean()
  OUTBOUND_ALLOW_PRIVATE = false;

  @EnvVar({
    description: 'Milliseconds an outbound fetch may take in total (DNS, connect, answer).',
    default: '5000',
  })
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60000)
  OUTBOUND_TIMEOUT_MS = 5000;

  @EnvVar({
    description: 'Milliseconds an outbound fetch may take to connect (TCP and TLS).',
    default: '2000',
  })
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60000)
  OUTBOUND_CONNECT_TIMEOUT_MS = 2000;

  @EnvVar({ description: 'Largest outbound response body in bytes (larger is refused).', default: '262144' })
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  OUTBOUND_MAX_BYTES = 262144;

  @EnvVar({
    description:
      'PEM file of extra CA certificates trusted by outbound fetches (e.g. an enterprise CA), in addition to the bundled roots.',
  })
  @IsOptional()
  @IsString()
  OUTBOUND_CA_FILE?: string;

  @EnvVar({
    description:
      "Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, MCP): on lets an https client_id with a path be fetched as the client's metadata; off refuses such client_ids.",
    default: 'on',
  })
  @IsIn(['on', 'off'])
  CLIENT_ID_METADATA_DOCUMENTS: 'on' | 'off' = 'on';

  @EnvVar({
    description:
      'Hostnames whose metadata documents are accepted, comma-separated (a leading "." matches subdomains). Unset: every host not denied.',
  })
  @IsOptional()
  @IsString()
  CLIENT_ID_METADATA_DOCUMENT_ALLOW_HOSTS?: string;

  @EnvVar({
    description:
      'Hostnames whose metadata documents are refused, comma-separated (a leading "." matches subdomains).',
  })
  @IsOptional()
  @IsString()
  CLIENT_ID_METADATA_DOCUMENT_DENY_HOSTS?: string;

  @EnvVar({
    description:
      'Fewest seconds a fetched metadata document is cached, whatever its Cache-Control says (no-store and no-cache included).',
    default: '60',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86400)
  CLIENT_ID_METADATA_DOCUMENT_MIN_TTL = 60;

  @EnvVar({
    description: 'Most seconds a fetched metadata document is cached, whatever its Cache-Control says.',
    default: '86400',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(604800)
  CLIENT_ID_METADATA_DOCUMENT_MAX_TTL = 86400;

  @EnvVar({ description: 'Most metadata documents kept in the cache of each instance.', default: '1000' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  CLIENT_ID_METADATA_DOCUMENT_CACHE_SIZE = 1000;

  @EnvVar({ description: 'Seconds a SIGTERM waits for in-flight requests before closing.', default: '10' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHUTDOWN_TIMEOUT = 10;
}
