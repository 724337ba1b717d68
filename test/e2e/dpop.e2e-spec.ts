import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import * as client from 'openid-client';
import { calculateJwkThumbprint, decodeJwt, exportJWK, type CryptoKey, type JWK } from 'jose';
import request from 'supertest';
import { createOwner, pkce, REDIRECT_URI, type TestOwner } from '../support/authorize-flow.js';
import { authorizeThroughPages } from '../support/authorize-flow.js';
import { basicAuth, createClient, type TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { dpopKey, dpopProof, type DpopKey } from '../support/dpop-proofs.js';
import { createListeningTestApp } from '../support/listening-app.js';
import { UserAgent } from '../support/user-agent.js';

/** RFC 9449 at the token endpoint, driven by openid-client v6 (unmodified) and by hand-built proofs. */
describe('DPoP at the token endpoint (RFC 9449)', () => {
  let app: TestApp;
  let issuer: string;
  let owner: TestOwner;
  let confidential: TestClient;
  let opaque: TestClient;
  let introspector: TestClient;
  let publicClient: TestClient;
  const API = 'https://api.example.com';

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp());
    owner = await createOwner(app);
    confidential = await createClient(app);
    opaque = await createClient(app, { accessTokenFormat: 'opaque' });
    introspector = await createClient(app, { canIntrospect: true, grantTypes: [], allowedResources: [API] });
    publicClient = await createClient(app, {
      tokenEndpointAuthMethod: 'none',
      redirectUris: [REDIRECT_URI],
      grantTypes: ['authorization_code', 'refresh_token'],
      responseTypes: ['code'],
      scope: 'openid read',
      firstParty: true,
    });
  });
  afterAll(async () => {
    await app.close();
  });

  const insecure = { execute: [client.allowInsecureRequests] };
  const configFor = (c: TestClient): Promise<client.Configuration> =>
    client.discovery(
      new URL(issuer),
      c.clientId,
      undefined,
      c.secret ? client.ClientSecretBasic(c.secret) : client.None(),
      insecure,
    );
  const thumbprint = async (pair: { publicKey: CryptoKey }): Promise<string> =>
    calculateJwkThumbprint(await exportJWK(pair.publicKey), 'sha256');

  /** A code for the public client through the login/consent pages; extra authorize parameters. */
  async function code(config: client.Configuration, extra: Record<string, string> = {}) {
    const { verifier, challenge } = pkce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid read',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });
    const res = await authorizeThroughPages(
      new UserAgent(app.publicServer, { origin: issuer }),
      url.href,
      owner,
    );
    return { callback: new URL(res.location as string), verifier };
  }

  it('R-DPOP-5/R-DPOP-6: metadata lists asymmetric DPoP algs; openid-client client_credentials with getDPoPHandle gets a DPoP token with cnf.jkt', async () => {
    const config = await configFor(confidential);
    expect(config.serverMetadata().dpop_signing_alg_values_supported).toEqual(
      expect.arrayContaining(['ES256', 'EdDSA', 'RS256']),
    );
    expect(config.serverMetadata().dpop_signing_alg_values_supported).not.toEqual(
      expect.arrayContaining(['none', 'HS256']),
    );
    const pair = await client.randomDPoPKeyPair();
    const tokens = await client.clientCredentialsGrant(
      config,
      { scope: 'read' },
      { DPoP: client.getDPoPHandle(config, pair) },
    );
    expect(tokens.token_type).toBe('dpop');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: await thumbprint(pair) });
  });

  it('R-DPOP-6: without a proof the same client still gets a Bearer token (no cnf)', async () => {
    const config = await configFor(confidential);
    const tokens = await client.clientCredentialsGrant(config, { scope: 'read' });
    expect(tokens.token_type).toBe('bearer');
    expect(decodeJwt(tokens.access_token).cnf).toBeUndefined();
  });

  it('R-DPOP-6: an opaque DPoP-bound token introspects with token_type DPoP and cnf.jkt', async () => {
    const config = await configFor(opaque);
    const pair = await client.randomDPoPKeyPair('EdDSA');
    const tokens = await client.clientCredentialsGrant(
      config,
      { scope: 'read', resource: API },
      { DPoP: client.getDPoPHandle(config, pair) },
    );
    expect(tokens.token_type).toBe('dpop');
    const res = await request(app.publicServer)
      .post('/introspect')
      .set('Authorization', basicAuth(introspector.clientId, introspector.secret))
      .type('form')
      .send({ token: tokens.access_token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      active: true,
      token_type: 'DPoP',
      cnf: { jkt: await thumbprint(pair) },
    });
  });

  it('R-DPOP-7: a public client code + PKCE flow and refresh with openid-client; the refresh token is bound to the key', async () => {
    const config = await configFor(publicClient);
    const pair = await client.randomDPoPKeyPair();
    const DPoP = client.getDPoPHandle(config, pair);
    const { callback, verifier } = await code(config);
    const tokens = await client.authorizationCodeGrant(
      config,
      callback,
      { pkceCodeVerifier: verifier },
      undefined,
      { DPoP },
    );
    expect(tokens.token_type).toBe('dpop');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: await thumbprint(pair) });
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string, undefined, {
      DPoP,
    });
    expect(refreshed.token_type).toBe('dpop');
    expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt: await thumbprint(pair) });

    const current = refreshed.refresh_token as string;
    // Without a proof, and with another key: refused, and the token is not burnt by the attempt.
    await expect(client.refreshTokenGrant(config, current)).rejects.toMatchObject({ error: 'invalid_grant' });
    const other = client.getDPoPHandle(config, await client.randomDPoPKeyPair());
    await expect(client.refreshTokenGrant(config, current, undefined, { DPoP: other })).rejects.toMatchObject(
      {
        error: 'invalid_grant',
      },
    );
    const again = await client.refreshTokenGrant(config, current, undefined, { DPoP });
    expect(again.token_type).toBe('dpop');
  });

  it("R-DPOP-7: a confidential client's refresh token is not bound to the key (RFC 9449 §5)", async () => {
    const codeClient = await createClient(app, {
      redirectUris: [REDIRECT_URI],
      grantTypes: ['authorization_code', 'refresh_token'],
      responseTypes: ['code'],
      scope: 'openid read',
      firstParty: true,
    });
    const config = await configFor(codeClient);
    const DPoP = client.getDPoPHandle(config, await client.randomDPoPKeyPair());
    const { callback, verifier } = await code(config);
    const tokens = await client.authorizationCodeGrant(
      config,
      callback,
      { pkceCodeVerifier: verifier },
      undefined,
      { DPoP },
    );
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.token_type).toBe('bearer');
  });

  it('R-DPOP-10: dpop_jkt binds the code; exchanging it with another key is invalid_grant', async () => {
    const config = await configFor(publicClient);
    const pair = await client.randomDPoPKeyPair();
    const bound = await code(config, { dpop_jkt: await thumbprint(pair) });
    const other = client.getDPoPHandle(config, await client.randomDPoPKeyPair());
    await expect(
      client.authorizationCodeGrant(config, bound.callback, { pkceCodeVerifier: bound.verifier }, undefined, {
        DPoP: other,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });

    const again = await code(config, { dpop_jkt: await thumbprint(pair) });
    const tokens = await client.authorizationCodeGrant(
      config,
      again.callback,
      { pkceCodeVerifier: again.verifier },
      undefined,
      { DPoP: client.getDPoPHandle(config, pair) },
    );
    expect(tokens.token_type).toBe('dpop');
  });

  it('R-DPOP-8: a client registered with dpop_bound_access_tokens gets no token without a proof', async () => {
    const strict = await createClient(app, { dpopBoundAccessTokens: true });
    const config = await configFor(strict);
    await expect(client.clientCredentialsGrant(config, { scope: 'read' })).rejects.toMatchObject({
      error: 'invalid_dpop_proof',
    });
    const tokens = await client.clientCredentialsGrant(
      config,
      { scope: 'read' },
      { DPoP: client.getDPoPHandle(config, await client.randomDPoPKeyPair()) },
    );
    expect(tokens.token_type).toBe('dpop');
  });

  describe('R-DPOP-1..4: invalid proofs are 400 invalid_dpop_proof', () => {
    let key: DpopKey;
    beforeAll(async () => {
      key = await dpopKey();
    });

    const tokenRequest = (proofs: string[]) => {
      let req = request(app.publicServer)
        .post('/token')
        .set('Authorization', basicAuth(confidential.clientId, confidential.secret))
        .type('form');
      for (const proof of proofs) {
        req = req.set('DPoP', proof);
      }
      return req.send({ grant_type: 'client_credentials', scope: 'read' });
    };
    const expectInvalid = async (proofs: string[]) => {
      const res = await tokenRequest(proofs);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_dpop_proof');
      expect(res.headers['cache-control']).toBe('no-store');
    };
    const htu = () => `${issuer}/token`;

    it('R-DPOP-3: a valid hand-built proof is accepted (the baseline of this matrix)', async () => {
      const res = await tokenRequest([await dpopProof(key, 'POST', `${htu()}?ignored=1#frag`)]);
      expect(res.status).toBe(200);
      expect(res.body.token_type).toBe('DPoP');
    });

    it('R-DPOP-3: wrong htm', async () => {
      await expectInvalid([await dpopProof(key, 'GET', htu())]);
    });

    it('R-DPOP-3: wrong htu', async () => {
      await expectInvalid([await dpopProof(key, 'POST', `${issuer}/introspect`)]);
      await expectInvalid([await dpopProof(key, 'POST', 'https://evil.example/token')]);
    });

    it('R-DPOP-3: stale and future iat', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expectInvalid([await dpopProof(key, 'POST', htu(), { claims: { iat: now - 300 } })]);
      await expectInvalid([await dpopProof(key, 'POST', htu(), { claims: { iat: now + 300 } })]);
    });

    it('R-DPOP-3: missing jti', async () => {
      await expectInvalid([await dpopProof(key, 'POST', htu(), { claims: { jti: undefined } })]);
    });

    it('R-DPOP-2: a private key in the jwk header', async () => {
      await expectInvalid([await dpopProof(key, 'POST', htu(), { jwk: key.privateJwk })]);
    });

    it('R-DPOP-2: an HS256 proof and an alg none proof', async () => {
      const secret = Buffer.from('0123456789abcdef0123456789abcdef');
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const payload = b64({ jti: 'x1', htm: 'POST', htu: htu(), iat: Math.floor(Date.now() / 1000) });
      const hsHeader = b64({
        alg: 'HS256',
        typ: 'dpop+jwt',
        jwk: { kty: 'oct', k: secret.toString('base64url') } as JWK,
      });
      const hs = `${hsHeader}.${payload}.${createHmac('sha256', secret).update(`${hsHeader}.${payload}`).digest('base64url')}`;
      await expectInvalid([hs]);
      const noneHeader = b64({ alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk });
      await expectInvalid([`${noneHeader}.${payload}.`]);
      await expectInvalid([`${noneHeader}.${payload}.c2ln`]);
    });

    it('R-DPOP-2: typ other than dpop+jwt, and a signature by another key', async () => {
      await expectInvalid([await dpopProof(key, 'POST', htu(), { typ: 'JWT' })]);
      const other = await dpopKey();
      await expectInvalid([await dpopProof(key, 'POST', htu(), { jwk: other.publicJwk })]);
    });

    it('R-DPOP-1: two DPoP headers, or a value that is not a JWT', async () => {
      const body = 'grant_type=client_credentials&scope=read';
      const twice = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        void Promise.all([dpopProof(key, 'POST', htu()), dpopProof(key, 'POST', htu())]).then((proofs) => {
          const req = httpRequest(`${issuer}/token`, { method: 'POST' }, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          });
          req.on('error', reject);
          req.setHeader('Authorization', basicAuth(confidential.clientId, confidential.secret));
          req.setHeader('Content-Type', 'application/x-www-form-urlencoded');
          req.setHeader('DPoP', proofs); // two header lines
          req.end(body);
        });
      });
      expect(twice.status).toBe(400);
      expect(JSON.parse(twice.body)).toMatchObject({ error: 'invalid_dpop_proof' });
      await expectInvalid(['not-a-jwt']);
    });

    it('R-DPOP-4: a proof is single use', async () => {
      const proof = await dpopProof(key, 'POST', htu());
      expect((await tokenRequest([proof])).status).toBe(200);
      await expectInvalid([proof]);
    });

    it('R-DPOP-9: a proof carrying a nonce the server never issued gets use_dpop_nonce with a fresh DPoP-Nonce', async () => {
      const res = await tokenRequest([await dpopProof(key, 'POST', htu(), { claims: { nonce: 'made-up' } })]);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('use_dpop_nonce');
      expect(res.headers['dpop-nonce']).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const ok = await tokenRequest([
        await dpopProof(key, 'POST', htu(), { claims: { nonce: res.headers['dpop-nonce'] as string } }),
      ]);
      expect(ok.status).toBe(200);
    });
  });
});

describe('DPoP nonces required (RFC 9449 §8, DPOP_NONCE_REQUIRED=true)', () => {
  let app: TestApp;
  let issuer: string;
  let confidential: TestClient;

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp({ DPOP_NONCE_REQUIRED: 'true' }));
    confidential = await createClient(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-DPOP-9: a proof without a nonce gets 400 use_dpop_nonce and DPoP-Nonce', async () => {
    const key = await dpopKey();
    const res = await request(app.publicServer)
      .post('/token')
      .set('Authorization', basicAuth(confidential.clientId, confidential.secret))
      .set('DPoP', await dpopProof(key, 'POST', `${issuer}/token`))
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('use_dpop_nonce');
    expect(res.headers['dpop-nonce']).toBeTruthy();
  });

  it('R-DPOP-9: openid-client handles the nonce challenge by itself (one retry)', async () => {
    const config = await client.discovery(
      new URL(issuer),
      confidential.clientId,
      undefined,
      client.ClientSecretBasic(confidential.secret),
      { execute: [client.allowInsecureRequests] },
    );
    const DPoP = client.getDPoPHandle(config, await client.randomDPoPKeyPair());
    const first = await client.clientCredentialsGrant(config, { scope: 'read' }, { DPoP });
    expect(first.token_type).toBe('dpop');
    // The nonce from the success response is reused: the second request needs no retry.
    const second = await client.clientCredentialsGrant(config, { scope: 'read' }, { DPoP });
    expect(second.token_type).toBe('dpop');
  });
});
