import fc from 'fast-check';
import { appendFileSync } from 'node:fs';
import { basicAuth } from '../support/clients.js';
import { REDIRECT_URI } from '../support/authorize-flow.js';
import { startChildTestApp, type ChildTestApp } from '../support/child-test-app.js';
import { fuzzRequests, type FuzzRequest, type FuzzTarget } from '../support/fuzz-requests.js';
import { sendRaw } from '../support/raw-request.js';
import { envCount, inBatches } from '../support/reliability.js';

/**
 * Issue 7 item 5: property-based malformed requests per endpoint group, written as raw bytes to the
 * real apps, which run in a child process (startChildTestApp) so that the server's own memory is
 * measured: zero 5xx, zero unanswered requests, no crash, RSS stable. RELIABILITY_FUZZ_RUNS sets the
 * requests per group (default 300 in CI; 10000 is the issue's figure), RELIABILITY_FUZZ_SEED replays
 * a run, RELIABILITY_FUZZ_CONCURRENCY sets the requests in flight (each run of the property is one
 * batch of that many requests).
 */
const RUNS = envCount('RELIABILITY_FUZZ_RUNS', 300);
const SEED = process.env.RELIABILITY_FUZZ_SEED ? Number(process.env.RELIABILITY_FUZZ_SEED) : undefined;
const CONCURRENCY = envCount('RELIABILITY_FUZZ_CONCURRENCY', 8);
/** Requests per group sent before the memory baseline is taken (JIT, caches, pools warmed up). */
const WARM_UP = 100;
/** Allowed growth of the server's settled RSS and V8 heap from after warm-up to after all groups. */
const RSS_GROWTH_LIMIT_MB = 64;
const HEAP_GROWTH_LIMIT_MB = 24;

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

const CLIENT_PARAMS = ['client_id', 'client_secret', 'client_assertion', 'client_assertion_type'];
const TARGETS: FuzzTarget[] = [
  {
    name: '/authorize',
    paths: ['/authorize', '/authorize/resume'],
    params: [
      'response_type',
      'client_id',
      'redirect_uri',
      'scope',
      'state',
      'code_challenge',
      'code_challenge_method',
      'resource',
      'prompt',
      'request',
      'request_uri',
      'req',
      'response_mode',
    ],
  },
  {
    name: '/token',
    paths: ['/token'],
    params: [
      'grant_type',
      'code',
      'code_verifier',
      'redirect_uri',
      'refresh_token',
      'scope',
      'resource',
      ...CLIENT_PARAMS,
    ],
  },
  { name: '/introspect', paths: ['/introspect'], params: ['token', 'token_type_hint', ...CLIENT_PARAMS] },
  { name: '/revoke', paths: ['/revoke'], params: ['token', 'token_type_hint', ...CLIENT_PARAMS] },
  {
    name: '/register',
    paths: ['/register', '/register/c-1'],
    params: [
      'redirect_uris',
      'client_name',
      'grant_types',
      'response_types',
      'scope',
      'token_endpoint_auth_method',
      'jwks',
      'jwks_uri',
      'client_id',
      'software_statement',
      'logo_uri',
      'contacts',
    ],
  },
  { name: '/login', paths: ['/login'], params: ['username', 'password', 'csrf', 'req', 'referrer'] },
  {
    name: '/consent',
    paths: ['/consent', '/account', '/account/grants/x/revoke'],
    params: ['decision', 'csrf', 'req'],
  },
  {
    name: 'sample API',
    paths: ['/api/notes', '/api/notes/n-1', '/api/me'],
    params: ['title', 'body', 'text', 'access_token'],
  },
  {
    name: 'admin API',
    admin: true,
    paths: [
      '/admin/clients',
      '/admin/clients/c-1',
      '/admin/clients/c-1/secret',
      '/admin/owners',
      '/admin/owners/o-1',
      '/admin/owners/o-1/password',
      '/admin/initial-access-tokens',
      '/admin/keys',
      '/admin/grants',
      '/admin/consent-grants',
    ],
    params: [
      'client_name',
      'redirect_uris',
      'grant_types',
      'scope',
      'username',
      'password',
      'display_name',
      'email',
      'disabled',
      'expires_in',
      'max_uses',
      'limit',
      'offset',
      'client_id',
      'owner_id',
      'access_token_format',
    ],
  },
];

describe(`fuzzing: ${RUNS} generated malformed requests per endpoint group`, () => {
  let server: ChildTestApp;
  let valid: { values: string[]; authorizations: string[] };
  let baseline: { rss: number; heapUsed: number };
  const stats: string[] = [];
  const failures: string[] = [];

  /** Sends one request; records any 5xx or missing answer with the whole input, to replay or keep. */
  const send = async (port: number, req: FuzzRequest) => {
    const { status, answer, error } = await sendRaw(port, req);
    if (process.env.RELIABILITY_FUZZ_TRACE) {
      appendFileSync(
        process.env.RELIABILITY_FUZZ_TRACE,
        `${JSON.stringify(req).slice(0, 400)} => ${answer.slice(0, 100)}\n`,
      );
    }
    if (status < 100 || status >= 500) {
      failures.push(
        `${JSON.stringify(req).slice(0, 2000)}\n  → ${answer.slice(0, 600) || `no answer (${error ?? 'closed'})`}`,
      );
    }
    return status;
  };
  const portOf = (target: { admin?: boolean }) => (target.admin ? server.adminPort : server.publicPort);
  const requestsFor = (target: FuzzTarget) =>
    fuzzRequests(target, {
      values: valid.values,
      // On the admin API the valid admin token half the time.
      authorizations: target.admin
        ? [...valid.authorizations, `Bearer ${server.adminToken}`, `Bearer ${server.adminToken}`]
        : valid.authorizations,
    });

  beforeAll(async () => {
    server = await startChildTestApp();
    valid = {
      values: [
        server.confidential.clientId,
        server.publicClientId,
        REDIRECT_URI,
        'code',
        'S256',
        'authorization_code',
        'refresh_token',
        'client_credentials',
        'openid read',
        'https://api.example.com',
        'access_token',
        'allow',
        'deny',
        'A'.repeat(43),
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        'eyJhbGciOiJub25lIn0.e30.',
      ],
      authorizations: [
        basicAuth(server.confidential.clientId, server.confidential.secret),
        `Bearer ${server.adminToken}`,
      ],
    };
    for (const target of TARGETS) {
      const warmUp = fc.sample(requestsFor(target), { numRuns: WARM_UP, seed: SEED });
      await inBatches(warmUp.length, CONCURRENCY, (i) => send(portOf(target), warmUp[i]!));
    }
    baseline = await server.settledMemory();
  }, 240_000);
  afterAll(async () => {
    process.stderr.write(`[reliability] fuzz summary:\n  ${stats.join('\n  ')}\n`);
    if (failures.length > 0) {
      process.stderr.write(`[reliability] fuzz failures:\n${failures.slice(0, 10).join('\n')}\n`);
    }
    await server?.close();
  }, 30_000);

  /** Inputs that once gave a 5xx: kept as fixed cases (see docs/notes/reliability.md). */
  const REGRESSIONS: (FuzzRequest & { admin?: boolean })[] = [
    // U+0000 in a path parameter: PostgreSQL 22021 was a 500.
    { admin: true, method: 'GET', url: '/admin/clients/%00', headers: {} },
    { admin: true, method: 'DELETE', url: '/admin/grants/%00', headers: {} },
    { admin: true, method: 'GET', url: '/admin/owners/a%00b', headers: {} },
    { admin: true, method: 'GET', url: '/admin/clients?client_id=%00', headers: {} },
    {
      admin: true,
      method: 'POST',
      url: '/admin/owners',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'a\u0000b', password: 'long enough password 1' }),
    },
    { method: 'GET', url: '/register/%00', headers: { authorization: 'Bearer x' } },
    {
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&client_id=%00&client_secret=x',
    },
    // Issue 16 L6: JSON ~3000 levels deep was a 500 (class-transformer recursion) on every JSON route.
    ...(
      [
        [false, 'POST', '/register'],
        [false, 'PUT', '/register/c-1'],
        [false, 'POST', '/api/notes'],
        [true, 'POST', '/admin/clients'],
        [true, 'POST', '/admin/owners'],
        [true, 'PATCH', '/admin/owners/o-1'],
      ] as const
    ).map(([admin, method, url]) => ({
      admin,
      method,
      url,
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
      payload: `{"client_name":${'['.repeat(3000)}${']'.repeat(3000)}}`,
    })),
  ];

  it('R-SEC: inputs that once caused a 5xx are client errors', async () => {
    for (const { admin, ...req } of REGRESSIONS) {
      const headers = admin ? { authorization: `Bearer ${server.adminToken}`, ...req.headers } : req.headers;
      const status = await send(portOf({ admin }), { ...req, headers });
      const outcome = status >= 400 && status < 500 ? 'client error' : status;
      expect({ url: req.url, outcome }).toEqual({ url: req.url, outcome: 'client error' });
    }
  });

  /** Every route of both listeners (issue 16: malformed URLs on every route). */
  const ROUTES: { admin?: boolean; path: string }[] = [
    ...[
      '/authorize',
      '/authorize/resume',
      '/login',
      '/consent',
      '/account',
      '/account/grants/x/revoke',
      '/account/sign-out',
      '/device',
      '/device_authorization',
      '/token',
      '/introspect',
      '/revoke',
      '/register',
      '/register/c-1',
      '/jwks',
      '/.well-known/oauth-authorization-server',
      '/.well-known/oauth-protected-resource/api',
      '/api/me',
      '/api/notes',
      '/health/live',
    ].map((path) => ({ path })),
    ...[
      '/admin/clients',
      '/admin/clients/c-1',
      '/admin/owners',
      '/admin/owners/o-1',
      '/admin/keys',
      '/admin/grants',
      '/admin/consent-grants',
      '/admin/initial-access-tokens',
    ].map((path) => ({ admin: true, path })),
  ];
  const BAD_URLS = (path: string) => [
    `${path}/%c0%ae%c0%ae/marker`,
    `/%c0%ae%c0%ae${path}`,
    `${path}/%e0%80%afmarker`,
    `${path}/%ff%fe`,
    `${path}/%`,
    // Values only: the admin API's validation names unknown query parameters (not their values).
    `${path}?x=marker%c0`,
    `${path}?%=marker`,
    `${path}?__proto__=a&__proto__=b&constructor=c`,
  ];

  it('R-SEC / ISSUE16-L8: malformed URLs on every route are 4xx with security headers, nothing echoed', async () => {
    const problems: string[] = [];
    for (const route of ROUTES) {
      for (const url of BAD_URLS(route.path)) {
        for (const method of ['GET', 'POST']) {
          const { status, answer } = await sendRaw(portOf(route), {
            method,
            url,
            headers: route.admin ? { authorization: `Bearer ${server.adminToken}` } : {},
          });
          const head = answer.toLowerCase();
          if (status >= 500 || status < 100) {
            problems.push(`${method} ${url} → ${status}`);
          } else if (status >= 400 && !head.includes('x-content-type-options: nosniff')) {
            problems.push(`${method} ${url} → ${status} without security headers`);
          } else if (status >= 400 && /marker|fst_err/i.test(answer.split('\r\n\r\n')[1] ?? '')) {
            problems.push(`${method} ${url} → ${status} echoes the request`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('R-SEC: a 2 MB request line is answered 431, not reset, with 16 sent at once', async () => {
    // Was ECONNRESET for ~7% of them: the server destroyed the socket with request bytes unread.
    const huge: FuzzRequest = {
      method: 'GET',
      url: `/authorize?state=${'a'.repeat(2_000_000)}`,
      headers: {},
    };
    const statuses: number[] = [];
    for (let round = 0; round < 8; round++) {
      statuses.push(...(await Promise.all(Array.from({ length: 16 }, () => send(server.publicPort, huge)))));
    }
    expect(statuses.filter((status) => status !== 431)).toEqual([]);
  });

  it.each(TARGETS.map((t) => [t.name, t] as const))(
    'R-SEC: %s never answers 5xx nor drops the connection',
    async (name, target) => {
      const port = portOf(target);
      const before = await server.settledMemory();
      let peakRss = before.rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.rss())), 250);
      const started = Date.now();
      let sent = 0;
      const byStatus = new Map<number, number>();
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(requestsFor(target), { minLength: CONCURRENCY, maxLength: CONCURRENCY }),
            async (batch) => {
              const statuses = await Promise.all(batch.map((req) => send(port, req)));
              for (const status of statuses) {
                sent++;
                byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
              }
              return statuses.every((status) => status >= 100 && status < 500);
            },
          ),
          { numRuns: Math.ceil(RUNS / CONCURRENCY), seed: SEED },
        );
      } finally {
        clearInterval(sampler);
        const after = server.exited() ? undefined : await server.settledMemory();
        const serverErrors = [...byStatus].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
        const line =
          `${name}: ${sent} requests, ${serverErrors} 5xx, ${byStatus.get(-1) ?? 0} unanswered, ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s, status mix ${JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])))}, ` +
          (after
            ? `server RSS ${mb(before.rss)}→${mb(after.rss)} MB (peak ${mb(peakRss)}), heap ${mb(before.heapUsed)}→${mb(after.heapUsed)} MB`
            : `server exited: ${server.exited()}`);
        stats.push(line);
        process.stderr.write(`[reliability] fuzz ${line}\n`);
      }
      expect(server.exited()).toBeUndefined();
      // The server still answers normally afterwards.
      expect(await send(port, { method: 'GET', url: '/health/live', headers: {} })).toBeLessThan(500);
      expect(await send(server.publicPort, { method: 'GET', url: '/health/live', headers: {} })).toBe(200);
    },
    Math.max(600_000, RUNS * 100),
  );

  it(`R-SEC: server memory after all groups is within +${RSS_GROWTH_LIMIT_MB} MB RSS and +${HEAP_GROWTH_LIMIT_MB} MB heap of after warm-up`, async () => {
    expect(server.exited()).toBeUndefined();
    const after = await server.settledMemory();
    const line = `server memory after warm-up → after all groups (forced GC): RSS ${mb(baseline.rss)}→${mb(after.rss)} MB, heap ${mb(baseline.heapUsed)}→${mb(after.heapUsed)} MB`;
    stats.push(line);
    process.stderr.write(`[reliability] fuzz ${line}\n`);
    expect(mb(after.rss - baseline.rss)).toBeLessThanOrEqual(RSS_GROWTH_LIMIT_MB);
    expect(mb(after.heapUsed - baseline.heapUsed)).toBeLessThanOrEqual(HEAP_GROWTH_LIMIT_MB);
  });
});
