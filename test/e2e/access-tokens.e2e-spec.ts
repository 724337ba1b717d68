import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, SignJWT, generateKeyPair, base64url } from 'jose';
import { ClientEntity } from '../../src/clients/client.entity.js';
import {
  StoreUnavailableError,
  SHORT_LIVED_STORE,
  type ShortLivedStore,
} from '../../src/store/short-lived-store.js';
import { AccessTokenService } from '../../src/tokens/access-tokens/access-token.service.js';
import { KeysService } from '../../src/keys/keys.service.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { fetchJwks } from '../support/jwks.js';

const ISSUER = 'http://127.0.0.1:3000';
const RESOURCE = 'https://api.example.com';

function client(overrides: Partial<ClientEntity> = {}): ClientEntity {
  return Object.assign(new ClientEntity(), {
    clientId: 'client-1',
    clientName: 'Test client',
    tokenEndpointAuthMethod: 'client_secret_basic',
    accessTokenTtl: null,
    accessTokenFormat: 'jwt',
    ...overrides,
  });
}

describe('access tokens (AccessTokenService)', () => {
  let app: TestApp;
  let tokens: AccessTokenService;
  let store: ShortLivedStore;

  beforeAll(async () => {
    app = await createTestApp();
    tokens = app.publicApp.get(AccessTokenService);
    store = app.publicApp.get<ShortLivedStore>(SHORT_LIVED_STORE);
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-AT-2, R-AT-3, R-AT-5: a JWT verifies with jose against /jwks, typ at+jwt, asymmetric alg, all claims (space-delimited scope)', async () => {
    const issued = await tokens.issue(client(), {
      sub: 'owner-42',
      scope: 'profile email',
      audience: RESOURCE,
      grantId: 'grant-1',
    });
    expect(issued.tokenType).toBe('Bearer');
    const { getKey } = await fetchJwks(app.publicServer);
    const { payload, protectedHeader } = await jwtVerify(issued.token, getKey, {
      issuer: ISSUER,
      audience: RESOURCE,
      typ: 'at+jwt',
      algorithms: ['ES256'],
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(protectedHeader.alg).toBe('ES256');
    expect(typeof protectedHeader.kid).toBe('string');
    expect(payload).toMatchObject({
      iss: ISSUER,
      sub: 'owner-42',
      aud: RESOURCE,
      client_id: 'client-1',
      scope: 'profile email',
      jti: issued.jti,
    });
    expect(typeof payload.iat).toBe('number');
    expect(payload.exp).toBe((payload.iat ?? 0) + 600);
  });

  it('R-AT-4: a client_credentials token has the client id as sub', async () => {
    const issued = await tokens.issue(client({ clientId: 'svc' }), {
      sub: 'svc',
      scope: 'read',
      audience: RESOURCE,
    });
    const active = await tokens.inspect(issued.token);
    expect(active).toMatchObject({ sub: 'svc', clientId: 'svc', format: 'jwt' });
    expect(active?.grantId).toBeUndefined();
  });

  it('R-AT-11: default lifetime 10 minutes, per-client lifetime, expires_in states it', async () => {
    const byDefault = await tokens.issue(client(), { sub: 'o', scope: '', audience: RESOURCE });
    expect(byDefault.expiresIn).toBe(600);
    const custom = await tokens.issue(client({ accessTokenTtl: 120 }), {
      sub: 'o',
      scope: '',
      audience: RESOURCE,
    });
    expect(custom.expiresIn).toBe(120);
    const active = await tokens.inspect(custom.token);
    expect(active && active.exp - active.iat).toBe(120);
  });

  it('R-AT-1: opaque tokens are 256-bit random and stored only as a hash', async () => {
    const issued = await tokens.issue(client({ accessTokenFormat: 'opaque' }), {
      sub: 'owner-1',
      scope: 'profile',
      audience: RESOURCE,
      grantId: 'g-opaque',
    });
    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(issued.token, 'base64url')).toHaveLength(32);
    const hash = createHash('sha256').update(issued.token).digest('base64url');
    expect(await store.get(`at:${issued.token}`)).toBeNull();
    const stored = await store.get(`at:${hash}`);
    expect(stored).not.toBeNull();
    expect(stored).not.toContain(issued.token);
    const ttl = await store.ttl(`at:${hash}`);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
    expect(await tokens.inspect(issued.token)).toMatchObject({
      sub: 'owner-1',
      clientId: 'client-1',
      scope: 'profile',
      aud: RESOURCE,
      iss: ISSUER,
      grantId: 'g-opaque',
      format: 'opaque',
    });
  });

  it('inspect returns the JWT claims; revoke puts its jti on the revocation list', async () => {
    const issued = await tokens.issue(client(), { sub: 'o', scope: 'a', audience: RESOURCE });
    const active = await tokens.inspect(issued.token);
    expect(active).toMatchObject({ jti: issued.jti, aud: RESOURCE, format: 'jwt', iss: ISSUER });
    await tokens.revoke(active!);
    expect(await store.get(`at-revoked:${issued.jti}`)).not.toBeNull();
    expect(await tokens.inspect(issued.token)).toBeNull();
  });

  it('revoke deletes an opaque token', async () => {
    const issued = await tokens.issue(client({ accessTokenFormat: 'opaque' }), {
      sub: 'o',
      scope: 'a',
      audience: RESOURCE,
    });
    const active = await tokens.inspect(issued.token);
    expect(active).not.toBeNull();
    await tokens.revoke(active!);
    expect(await tokens.inspect(issued.token)).toBeNull();
  });

  it('revokeGrant revokes every access token of the grant (JWT and opaque) with one write', async () => {
    const grant = { sub: 'o', scope: 'a', audience: RESOURCE, grantId: 'family-9' };
    const jwt = await tokens.issue(client(), grant);
    const opaque = await tokens.issue(client({ accessTokenFormat: 'opaque' }), grant);
    const other = await tokens.issue(client(), { ...grant, grantId: 'family-10' });
    await tokens.revokeGrant('family-9');
    expect(await tokens.inspect(jwt.token)).toBeNull();
    expect(await tokens.inspect(opaque.token)).toBeNull();
    expect(await tokens.inspect(other.token)).not.toBeNull();
    expect(await store.ttl('grant-revoked:family-9')).toBeGreaterThanOrEqual(86400);
  });

  it('R-SEC-9: tampered, alg none, foreign-key, wrong typ and garbage tokens are inactive (null, no throw)', async () => {
    const issued = await tokens.issue(client(), { sub: 'o', scope: 'a', audience: RESOURCE });
    const [h, p, s] = issued.token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forged = base64url.encode(JSON.stringify({ ...payload, scope: 'admin' }));
    const none = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    const header = decodeProtectedHeader(issued.token);
    const attacker = await generateKeyPair('ES256');
    const foreign = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: header.kid! })
      .sign(attacker.privateKey);
    const wrongTyp = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: header.kid! })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    const candidates = [
      `${h}.${forged}.${s}`,
      `${none}.${p}.`,
      `${none}.${p}`,
      foreign,
      wrongTyp,
      `${h}.${p}.${s.slice(0, -2)}AA`,
      'garbage',
      '',
      'a.b.c',
      '....',
      'x'.repeat(100_000),
      'A'.repeat(43),
      `${h}.${p}`,
    ];
    for (const token of candidates) {
      await expect(tokens.inspect(token)).resolves.toBeNull();
    }
  });

  it('R-SEC-9: a token signed with our key but for another issuer, or missing claims, is inactive', async () => {
    const signer = app.publicApp.get(KeysService).signer();
    const now = Math.floor(Date.now() / 1000);
    const base = { sub: 'o', aud: RESOURCE, iat: now, exp: now + 60, jti: 'j1', client_id: 'c', scope: 'a' };
    expect(await tokens.inspect(signer.sign({ ...base, iss: ISSUER }))).not.toBeNull();
    expect(await tokens.inspect(signer.sign({ ...base, iss: 'https://evil.example' }))).toBeNull();
    expect(await tokens.inspect(signer.sign({ ...base, iss: ISSUER, client_id: undefined }))).toBeNull();
    expect(await tokens.inspect(signer.sign({ ...base, iss: ISSUER, aud: [RESOURCE, 'x'] }))).toBeNull();
  });

  it('R-AT-11: an expired token is inactive', async () => {
    const past = await tokens.issue(client({ accessTokenTtl: 1 }), {
      sub: 'o',
      scope: 'a',
      audience: RESOURCE,
    });
    const opaque = await tokens.issue(client({ accessTokenTtl: 1, accessTokenFormat: 'opaque' }), {
      sub: 'o',
      scope: 'a',
      audience: RESOURCE,
    });
    await new Promise((r) => setTimeout(r, 2100));
    expect(await tokens.inspect(past.token)).toBeNull();
    expect(await tokens.inspect(opaque.token)).toBeNull();
  });

  it('store outages propagate as StoreUnavailableError (503), not as an inactive token', async () => {
    const issued = await tokens.issue(client(), { sub: 'o', scope: 'a', audience: RESOURCE });
    const get = jest.spyOn(store, 'get').mockRejectedValue(new StoreUnavailableError());
    try {
      await expect(tokens.inspect(issued.token)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      get.mockRestore();
    }
  });
});

describe('access tokens with SIGNING_ALG=EdDSA', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ SIGNING_ALG: 'EdDSA' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-AT-2: EdDSA-signed JWTs verify against /jwks (OKP key) and through inspect()', async () => {
    const tokens = app.publicApp.get(AccessTokenService);
    const issued = await tokens.issue(client(), { sub: 'o', scope: 'a', audience: RESOURCE });
    const { set, getKey } = await fetchJwks(app.publicServer);
    expect(set.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    const { protectedHeader } = await jwtVerify(issued.token, getKey, { issuer: ISSUER, typ: 'at+jwt' });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(await tokens.inspect(issued.token)).toMatchObject({ sub: 'o', format: 'jwt' });
  });
});
