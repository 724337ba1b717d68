import { createHmac } from 'node:crypto';
import { APP_FILTER } from '@nestjs/core';
import { base64url, generateKeyPair } from 'jose';
import { OAuthExceptionFilter } from '../../src/common/errors/oauth-exception.filter.js';
import { parseBearerChallenge } from '../support/bearer-challenge.js';
import { FakeIssuer } from '../support/fake-issuer.js';
import { rawRequest, startModuleApp, type ModuleTestApp } from '../support/resource-server-test-app.js';

const AUDIENCE = 'https://api.example.test';
const METADATA_URL = 'https://api.example.test/.well-known/oauth-protected-resource';

async function call(url: string, token?: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (token !== undefined) {
    headers.set('authorization', `Bearer ${token}`);
  }
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

function expectInvalidToken(res: { status: number; headers: Headers; body: Record<string, unknown> }) {
  expect(res.status).toBe(401);
  expect(res.body.error).toBe('invalid_token');
  const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
  expect(challenge).toMatchObject({
    realm: AUDIENCE,
    error: 'invalid_token',
    resource_metadata: METADATA_URL,
  });
}

describe('ResourceServerModule against a fake issuer (JWT mode)', () => {
  let issuer: FakeIssuer;
  let rs: ModuleTestApp;
  let things: string;

  beforeAll(async () => {
    issuer = await FakeIssuer.start();
    rs = await startModuleApp({
      issuer: issuer.issuer,
      audience: AUDIENCE,
      scopesSupported: ['things:read'],
    });
    things = `${rs.url}/things`;
  });
  afterAll(async () => {
    await rs.close();
    await issuer.close();
  });

  it('R-RS-1/R-RS-4: a valid at+jwt passes; subject and claims reach the handler', async () => {
    const res = await call(things, await issuer.sign());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sub: 'owner-1', clientId: 'client-1', things: ['a', 'b'] });
  });

  it('R-RS-4: the scheme name is case-insensitive', async () => {
    const token = await issuer.sign();
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      const res = await call(things, undefined, { headers: { authorization: `${scheme} ${token}` } });
      expect(res.status).toBe(200);
    }
  });

  it('R-RS-2: typ application/at+jwt is accepted too', async () => {
    expect((await call(things, await issuer.sign({}, { typ: 'application/at+jwt' }))).status).toBe(200);
  });

  it('R-RS-8/R-RS-13: no token → 401 with realm and resource_metadata, no error attribute', async () => {
    const res = await call(things);
    expect(res.status).toBe(401);
    const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
    expect(challenge).toEqual({ realm: AUDIENCE, resource_metadata: METADATA_URL });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('R-RS-8: another scheme counts as no bearer token', async () => {
    const res = await call(things, undefined, { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(res.status).toBe(401);
    expect(parseBearerChallenge(res.headers.get('www-authenticate')).error).toBeUndefined();
  });

  describe('R-RS-9/R-RS-2/R-RS-3: bad tokens → 401 invalid_token, never access', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const cases: Array<[string, () => Promise<string>]> = [
      ['expired', () => issuer.sign({ iat: now() - 600, exp: now() - 120 })],
      ['not yet valid (nbf in the future)', () => issuer.sign({ nbf: now() + 600 })],
      ['wrong issuer', () => issuer.sign({ iss: 'https://evil.example' })],
      ['issuer with a trailing slash', () => issuer.sign({ iss: `${issuer.issuer}/` })],
      ['wrong audience', () => issuer.sign({ aud: 'https://other-api.example.test' })],
      ['no audience', () => issuer.sign({ aud: undefined })],
      ['no exp', () => issuer.sign({ exp: undefined })],
      ['wrong typ (JWT)', () => issuer.sign({}, { typ: 'JWT' })],
      ['no typ', () => issuer.sign({}, { typ: null })],
      ['id-token typ', () => issuer.sign({}, { typ: 'id_token+jwt' })],
      ['unknown kid', () => issuer.sign({}, { kid: 'no-such-kid' })],
      [
        'signed by a key the issuer never published',
        async () => issuer.sign({}, { key: (await generateKeyPair('ES256')).privateKey }),
      ],
      [
        'alg none',
        async () => {
          const header = base64url.encode(
            JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: issuer.currentKey.kid }),
          );
          const [, payload] = (await issuer.sign()).split('.');
          return `${header}.${payload}.`;
        },
      ],
      [
        'HS256 signed with the public key',
        async () => {
          const header = base64url.encode(
            JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: issuer.currentKey.kid }),
          );
          const [, payload] = (await issuer.sign()).split('.');
          const signature = createHmac('sha256', JSON.stringify(issuer.publicJwk))
            .update(`${header}.${payload}`)
            .digest('base64url');
          return `${header}.${payload}.${signature}`;
        },
      ],
      [
        'tampered payload',
        async () => {
          const [header, payload, signature] = (await issuer.sign()).split('.');
          const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? ''))) as Record<
            string,
            unknown
          >;
          const forged = base64url.encode(
            JSON.stringify({ ...claims, scope: 'things:read things:write', sub: 'admin' }),
          );
          return `${header}.${forged}.${signature}`;
        },
      ],
      ['not a JWT at all', () => Promise.resolve('opaque-garbage-token')],
      ['a JWT-shaped string of nonsense', () => Promise.resolve('aaaa.bbbb.cccc')],
      ['too long', async () => `${await issuer.sign()}${'A'.repeat(9000)}`],
    ];
    it.each(cases)('%s', async (_name, make) => {
      const res = await call(things, await make());
      expectInvalidToken(res);
      expect(res.body.things).toBeUndefined();
    });
  });

  it('R-RS-9: the description says why an expired token failed', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const res = await call(things, await issuer.sign({ iat: past, exp: past + 60 }));
    expect(parseBearerChallenge(res.headers.get('www-authenticate')).error_description).toBe(
      'the access token has expired',
    );
  });

  it('R-RS-2: a token expired within the clock tolerance still passes; beyond it fails', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await call(things, await issuer.sign({ exp: now - 5 }))).status).toBe(200);
    expect((await call(things, await issuer.sign({ exp: now - 60 }))).status).toBe(401);
  });

  it('R-RS-10: a valid token without the scope → 403 insufficient_scope with scope="..."', async () => {
    const res = await call(things, await issuer.sign(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
    expect(parseBearerChallenge(res.headers.get('www-authenticate'))).toMatchObject({
      error: 'insufficient_scope',
      scope: 'things:read things:write',
    });
    const ok = await call(things, await issuer.sign({ scope: 'things:read things:write' }), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ok.status).toBe(201);
  });

  it('R-RS-10: @AnyScope needs one of its scopes', async () => {
    expect((await call(`${things}/any`, await issuer.sign({ scope: 'things:read' }))).status).toBe(200);
    const res = await call(`${things}/any`, await issuer.sign({ scope: 'other' }));
    expect(res.status).toBe(403);
    expect(parseBearerChallenge(res.headers.get('www-authenticate')).scope).toBe('things:admin things:read');
  });

  it('@Public routes need no token', async () => {
    expect(await call(`${things}/open`)).toMatchObject({ status: 200, body: { open: true, sub: null } });
  });

  it('R-RS-6: a token in the query string is ignored (treated as no token)', async () => {
    const res = await call(`${things}?access_token=${await issuer.sign()}`);
    expect(res.status).toBe(401);
    expect(parseBearerChallenge(res.headers.get('www-authenticate')).error).toBeUndefined();
  });

  it('R-RS-5: a token in the form body is ignored when the body method is off (default)', async () => {
    const res = await call(things, undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `access_token=${await issuer.sign({ scope: 'things:read things:write' })}`,
    });
    expect(res.status).toBe(401);
    expect(parseBearerChallenge(res.headers.get('www-authenticate')).error).toBeUndefined();
  });

  it('R-RS-7: two Authorization headers → 400 invalid_request', async () => {
    const token = await issuer.sign();
    const res = await rawRequest(things, {
      headers: { authorization: [`Bearer ${token}`, `Bearer ${token}`] },
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'invalid_request' });
    expect(parseBearerChallenge(res.headers['www-authenticate'] as string)).toMatchObject({
      error: 'invalid_request',
    });
  });

  it('R-RS-7/R-RS-4: a credential that is not token68 → 400 invalid_request', async () => {
    const token = await issuer.sign();
    for (const value of [
      'Bearer',
      'Bearer ',
      `Bearer ${token} extra`,
      `Bearer ${token}, Bearer ${token}`,
      'Bearer a"b',
    ]) {
      const res = await rawRequest(things, { headers: { authorization: value } });
      expect([value, res.status]).toEqual([value, 400]);
    }
  });

  it('an Authorization header beyond the server limit is refused without a 5xx', async () => {
    const res = await rawRequest(things, { headers: { authorization: `Bearer ${'A'.repeat(70000)}` } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('R-RS-12: serves RFC 9728 metadata without a token', async () => {
    const res = await call(`${rs.url}/.well-known/oauth-protected-resource`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      resource: AUDIENCE,
      authorization_servers: [issuer.issuer],
      bearer_methods_supported: ['header'],
      scopes_supported: ['things:read'],
    });
  });

  it('R-AT-12: a flood of unknown kids does not hammer the issuer (JWKS refetch cooldown)', async () => {
    await call(things, await issuer.sign()); // keys cached
    const before = issuer.jwksHits;
    const tokens = await Promise.all(
      Array.from({ length: 40 }, (_, i) => issuer.sign({}, { kid: `flood-${i}` })),
    );
    const results = await Promise.all(tokens.map((t) => call(things, t)));
    expect(results.every((r) => r.status === 401)).toBe(true);
    expect(issuer.jwksHits - before).toBeLessThanOrEqual(1);
  });
});

describe('ResourceServerModule: key rotation and issuer outages', () => {
  let issuer: FakeIssuer;
  let rs: ModuleTestApp;

  beforeAll(async () => {
    issuer = await FakeIssuer.start();
    rs = await startModuleApp({ issuer: issuer.issuer, audience: AUDIENCE, jwksCooldownSeconds: 0.2 });
  });
  afterAll(async () => {
    await rs.close();
    await issuer.close();
  });

  it('R-AT-12: a key rotation at the issuer does not break validation', async () => {
    const oldToken = await issuer.sign();
    expect((await call(`${rs.url}/things`, oldToken)).status).toBe(200);
    await issuer.addKey(); // new key published next to the old one, used from now on
    await new Promise((resolve) => setTimeout(resolve, 250)); // past the refetch cooldown
    const newToken = await issuer.sign();
    expect((await call(`${rs.url}/things`, newToken)).status).toBe(200);
    expect((await call(`${rs.url}/things`, oldToken)).status).toBe(200);
    await issuer.addKey(true); // old keys withdrawn
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await call(`${rs.url}/things`, await issuer.sign())).status).toBe(200);
    expectInvalidToken(await call(`${rs.url}/things`, oldToken.replace(/.$/, '')));
  });

  it('an unreachable JWKS gives 503 temporarily_unavailable, not a 500 and not access', async () => {
    const fresh = await startModuleApp({ issuer: issuer.issuer, audience: AUDIENCE });
    issuer.jwksStatus = 500;
    try {
      const res = await call(`${fresh.url}/things`, await issuer.sign());
      expect(res.status).toBe(503);
      expect(res.body.error).toBe('temporarily_unavailable');
    } finally {
      issuer.jwksStatus = 200;
      await fresh.close();
    }
  });

  it('an unreachable issuer (metadata discovery fails) gives 503', async () => {
    const fresh = await startModuleApp({
      issuer: 'http://127.0.0.1:9',
      audience: AUDIENCE,
      httpTimeoutMs: 500,
    });
    try {
      const res = await call(`${fresh.url}/things`, await issuer.sign());
      expect(res.status).toBe(503);
    } finally {
      await fresh.close();
    }
  });
});

describe('ResourceServerModule: form body enabled', () => {
  let issuer: FakeIssuer;
  let rs: ModuleTestApp;
  beforeAll(async () => {
    issuer = await FakeIssuer.start();
    rs = await startModuleApp({ issuer: issuer.issuer, audience: AUDIENCE, allowFormBody: true });
  });
  afterAll(async () => {
    await rs.close();
    await issuer.close();
  });
  const form = (body: string, token?: string) =>
    call(`${rs.url}/things`, token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });

  it('R-RS-5: access_token in a urlencoded POST body is accepted', async () => {
    const token = await issuer.sign({ scope: 'things:read things:write' });
    expect((await form(`access_token=${token}`)).status).toBe(201);
  });

  it('R-RS-7: header plus body → 400 invalid_request', async () => {
    const token = await issuer.sign({ scope: 'things:read things:write' });
    const res = await form(`access_token=${token}`, token);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('R-RS-7: access_token twice in the body → 400 invalid_request', async () => {
    const token = await issuer.sign({ scope: 'things:read things:write' });
    expect((await form(`access_token=${token}&access_token=${token}`)).status).toBe(400);
  });

  it('R-RS-5/R-RS-6: never on GET, never from the query', async () => {
    const res = await call(`${rs.url}/things?access_token=${await issuer.sign()}`);
    expect(res.status).toBe(401);
    expect(parseBearerChallenge(res.headers.get('www-authenticate')).error).toBeUndefined();
  });

  it('R-RS-12: metadata advertises the body method too', async () => {
    const res = await call(`${rs.url}/.well-known/oauth-protected-resource`);
    expect(res.body.bearer_methods_supported).toEqual(['header', 'body']);
  });
});

describe('ResourceServerModule: introspection mode', () => {
  let issuer: FakeIssuer;
  let rs: ModuleTestApp;
  const active = (extra: Record<string, unknown> = {}) => ({
    active: true,
    iss: issuer.issuer,
    aud: AUDIENCE,
    sub: 'owner-2',
    client_id: 'client-2',
    scope: 'things:read',
    token_type: 'Bearer',
    exp: Math.floor(Date.now() / 1000) + 300,
    ...extra,
  });

  beforeAll(async () => {
    issuer = await FakeIssuer.start();
    rs = await startModuleApp({
      issuer: issuer.issuer,
      audience: AUDIENCE,
      mode: 'auto',
      introspection: { ...issuer.introspectionClient, cacheTtlSeconds: 30, maxEntries: 2 },
    });
  });
  afterAll(async () => {
    await rs.close();
    await issuer.close();
  });

  it('R-RS-1: an active opaque token passes, validated with client_secret_basic', async () => {
    issuer.introspection.set('opaque-1', active());
    const res = await call(`${rs.url}/things`, 'opaque-1');
    expect(res).toMatchObject({ status: 200, body: { sub: 'owner-2', clientId: 'client-2' } });
  });

  it('auto mode still validates JWTs locally (no introspection call)', async () => {
    const before = issuer.introspectionHits;
    expect((await call(`${rs.url}/things`, await issuer.sign())).status).toBe(200);
    expect(issuer.introspectionHits).toBe(before);
  });

  it('R-RS-9: a revoked (inactive) token → 401 invalid_token; inactive answers are not cached', async () => {
    const res = await call(`${rs.url}/things`, 'revoked-token');
    expectInvalidToken(res);
    issuer.introspection.set('revoked-token', active());
    expect((await call(`${rs.url}/things`, 'revoked-token')).status).toBe(200);
  });

  it('positive answers are cached briefly (one introspection call for repeated use)', async () => {
    issuer.introspection.set('cached-1', active());
    const before = issuer.introspectionHits;
    await call(`${rs.url}/things`, 'cached-1');
    await call(`${rs.url}/things`, 'cached-1');
    expect(issuer.introspectionHits - before).toBe(1);
  });

  it('the cache never outlives the token exp', async () => {
    issuer.introspection.set('short-1', active({ exp: Math.floor(Date.now() / 1000) + 1 }));
    const before = issuer.introspectionHits;
    expect((await call(`${rs.url}/things`, 'short-1')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    issuer.introspection.set('short-1', { active: false });
    expectInvalidToken(await call(`${rs.url}/things`, 'short-1'));
    expect(issuer.introspectionHits - before).toBe(2);
  });

  it('the cache is bounded (maxEntries)', async () => {
    for (const t of ['b-1', 'b-2', 'b-3']) {
      issuer.introspection.set(t, active());
      await call(`${rs.url}/things`, t);
    }
    const before = issuer.introspectionHits;
    await call(`${rs.url}/things`, 'b-1'); // evicted (max 2 entries) → asked again
    expect(issuer.introspectionHits - before).toBe(1);
  });

  it.each([
    ['wrong audience', { aud: 'https://other.example' }],
    ['wrong issuer', { iss: 'https://evil.example' }],
    ['a refresh token', { token_type: 'refresh_token' }],
    ['expired', { exp: Math.floor(Date.now() / 1000) - 600 }],
    ['no subject', { sub: undefined }],
  ])('R-RS-3/R-RS-9: an active answer for %s is refused', async (name, extra) => {
    const token = `bad-${name.replace(/\W/g, '-')}`;
    issuer.introspection.set(token, active(extra));
    expectInvalidToken(await call(`${rs.url}/things`, token));
  });

  it('refused introspection credentials give 503, not access and not a 500', async () => {
    const misconfigured = await startModuleApp({
      issuer: issuer.issuer,
      audience: AUDIENCE,
      mode: 'introspection',
      introspection: { clientId: 'resource-server', clientSecret: 'wrong' },
    });
    try {
      issuer.introspection.set('opaque-9', active());
      expect((await call(`${misconfigured.url}/things`, 'opaque-9')).status).toBe(503);
    } finally {
      await misconfigured.close();
    }
  });
});

describe('ResourceServerModule: global: false next to an app-wide catch-all filter', () => {
  let issuer: FakeIssuer;
  let rs: ModuleTestApp;
  beforeAll(async () => {
    issuer = await FakeIssuer.start();
    rs = await startModuleApp(
      { issuer: issuer.issuer, audience: AUDIENCE, global: false },
      { providers: [{ provide: APP_FILTER, useClass: OAuthExceptionFilter }] },
    );
  });
  afterAll(async () => {
    await rs.close();
    await issuer.close();
  });

  it('routes without @Protected() stay open', async () => {
    expect((await call(`${rs.url}/mixed/free`)).status).toBe(200);
  });

  it('R-RS-8/R-RS-9: @Protected() routes get the module challenge even under a catch-all filter', async () => {
    const none = await call(`${rs.url}/mixed/guarded`);
    expect(none.status).toBe(401);
    expect(parseBearerChallenge(none.headers.get('www-authenticate'))).toEqual({
      realm: AUDIENCE,
      resource_metadata: METADATA_URL,
    });
    expectInvalidToken(await call(`${rs.url}/mixed/guarded`, 'garbage'));
    expect(await call(`${rs.url}/mixed/guarded`, await issuer.sign())).toMatchObject({
      status: 200,
      body: { sub: 'owner-1' },
    });
  });

  it("the app's own errors still go through the app's filter", async () => {
    const res = await call(`${rs.url}/mixed/guarded-missing`, await issuer.sign());
    expect(res).toMatchObject({
      status: 404,
      body: { error: 'not_found', error_description: 'no such thing' },
    });
  });

  it('unknown routes are 404 from the app filter, not a bearer challenge', async () => {
    const res = await call(`${rs.url}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('www-authenticate')).toBeNull();
  });
});
