import * as client from 'openid-client';
import request from 'supertest';
import { parseBearerChallenge, parseDpopChallenge } from '../support/bearer-challenge.js';
import { createClient, type TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { dpopKey, dpopProof, type DpopKey } from '../support/dpop-proofs.js';
import { createListeningTestApp } from '../support/listening-app.js';

const RS_CLIENT = { clientId: 'sample-api-rs', secret: 'sample-api-introspection-secret-0123456789' };

/** Builds a test app with the sample API (JWT and introspection), a client and its openid-client config. */
async function startWithSampleApi(env: Record<string, string> = {}) {
  const { app, issuer } = await createListeningTestApp({
    SAMPLE_API_CLIENT_ID: RS_CLIENT.clientId,
    SAMPLE_API_CLIENT_SECRET: RS_CLIENT.secret,
    ...env,
  });
  const audience = `${issuer}/api`;
  await createClient(app, {
    clientId: RS_CLIENT.clientId,
    secret: RS_CLIENT.secret,
    canIntrospect: true,
    grantTypes: [],
    allowedResources: [audience],
  });
  const worker = await createClient(app, { scope: 'notes:read', allowedResources: [audience] });
  const config = await client.discovery(
    new URL(issuer),
    worker.clientId,
    undefined,
    client.ClientSecretBasic(worker.secret),
    { execute: [client.allowInsecureRequests] },
  );
  return { app, issuer, audience, worker, config };
}

/** RFC 9449 §7 at the sample API (ResourceServerModule), driven by openid-client v6 unmodified. */
describe('DPoP at the resource server (RFC 9449 §7)', () => {
  let app: TestApp;
  let issuer: string;
  let audience: string;
  let worker: TestClient;
  let config: client.Configuration;
  let notes: URL;

  beforeAll(async () => {
    ({ app, issuer, audience, worker, config } = await startWithSampleApi());
    notes = new URL(`${issuer}/api/notes`);
  });
  afterAll(async () => {
    await app.close();
  });

  /** A DPoP-bound token for `key` (hand-built proof at /token). */
  async function boundToken(key: DpopKey, format: 'jwt' | 'opaque' = 'jwt'): Promise<string> {
    const owner =
      format === 'jwt'
        ? worker
        : await createClient(app, {
            scope: 'notes:read',
            allowedResources: [audience],
            accessTokenFormat: 'opaque',
          });
    const res = await request(app.publicServer)
      .post('/token')
      .auth(owner.clientId, owner.secret)
      .set('DPoP', await dpopProof(key, 'POST', `${issuer}/token`))
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'notes:read', resource: audience });
    expect(res.body.token_type).toBe('DPoP');
    return res.body.access_token as string;
  }
  const getNotes = (authorization: string, proof?: string) => {
    const req = request(app.publicServer).get('/api/notes').set('Authorization', authorization);
    return proof ? req.set('DPoP', proof) : req;
  };

  it('R-DPOP-11: openid-client fetchProtectedResource with its DPoP handle reaches the sample API', async () => {
    const DPoP = client.getDPoPHandle(config, await client.randomDPoPKeyPair());
    const tokens = await client.clientCredentialsGrant(
      config,
      { scope: 'notes:read', resource: audience },
      { DPoP },
    );
    expect(tokens.token_type).toBe('dpop');
    const res = await client.fetchProtectedResource(
      config,
      tokens.access_token,
      notes,
      'GET',
      undefined,
      undefined,
      {
        DPoP,
      },
    );
    expect(res.status).toBe(200);
    // A second call needs a fresh proof, which the library makes.
    const again = await client.fetchProtectedResource(
      config,
      tokens.access_token,
      notes,
      'GET',
      undefined,
      undefined,
      {
        DPoP,
      },
    );
    expect(again.status).toBe(200);
  });

  it('R-DPOP-11: an opaque DPoP-bound token, checked by introspection, is accepted with its proof', async () => {
    const key = await dpopKey();
    const token = await boundToken(key, 'opaque');
    const res = await getNotes(
      `DPoP ${token}`,
      await dpopProof(key, 'GET', `${issuer}/api/notes`, { accessToken: token }),
    );
    expect([res.status, res.headers['www-authenticate']]).toEqual([200, undefined]);
  });

  it('the sample API still accepts Bearer tokens, and its 401 challenges offer DPoP algs alongside Bearer', async () => {
    const tokens = await client.clientCredentialsGrant(config, { scope: 'notes:read', resource: audience });
    expect(tokens.token_type).toBe('bearer');
    expect((await getNotes(`Bearer ${tokens.access_token}`)).status).toBe(200);
    const none = await request(app.publicServer).get('/api/notes');
    expect(none.status).toBe(401);
    const header = none.headers['www-authenticate'] as string;
    expect(parseBearerChallenge(header).error).toBeUndefined();
    expect(parseDpopChallenge(header).algs?.split(' ')).toEqual(expect.arrayContaining(['ES256', 'EdDSA']));
  });

  it('R-DPOP-12: a DPoP-bound token presented as Bearer is refused', async () => {
    const key = await dpopKey();
    const token = await boundToken(key);
    const res = await getNotes(
      `Bearer ${token}`,
      await dpopProof(key, 'GET', `${issuer}/api/notes`, { accessToken: token }),
    );
    expect(res.status).toBe(401);
    expect(parseBearerChallenge(res.headers['www-authenticate'] as string).error).toBe('invalid_token');
  });

  it('R-DPOP-11: an unbound token under the DPoP scheme is invalid_token in a DPoP challenge', async () => {
    const key = await dpopKey();
    const tokens = await client.clientCredentialsGrant(config, { scope: 'notes:read', resource: audience });
    const res = await getNotes(
      `DPoP ${tokens.access_token}`,
      await dpopProof(key, 'GET', `${issuer}/api/notes`, { accessToken: tokens.access_token }),
    );
    expect(res.status).toBe(401);
    const challenge = parseDpopChallenge(res.headers['www-authenticate']);
    expect(challenge.error).toBe('invalid_token');
    expect(challenge.algs).toBeTruthy();
  });

  describe('R-DPOP-11/R-DPOP-12: invalid proofs at the resource are 401 invalid_dpop_proof', () => {
    let key: DpopKey;
    let token: string;
    const url = () => `${issuer}/api/notes`;
    beforeAll(async () => {
      key = await dpopKey();
      token = await boundToken(key);
    });
    const expectInvalidProof = async (proof?: string) => {
      const res = await getNotes(`DPoP ${token}`, proof);
      expect(res.status).toBe(401);
      const challenge = parseDpopChallenge(res.headers['www-authenticate']);
      expect(challenge.error).toBe('invalid_dpop_proof');
      expect(challenge.algs).toBeTruthy();
      expect(res.body.error).toBe('invalid_dpop_proof');
    };

    it('R-DPOP-11: baseline: a correct proof is accepted', async () => {
      expect(
        (await getNotes(`DPoP ${token}`, await dpopProof(key, 'GET', url(), { accessToken: token }))).status,
      ).toBe(200);
    });
    it('R-DPOP-11: no proof', async () => {
      await expectInvalidProof();
    });
    it('R-DPOP-3: missing ath', async () => {
      await expectInvalidProof(await dpopProof(key, 'GET', url()));
    });
    it('R-DPOP-3: ath of another token', async () => {
      await expectInvalidProof(await dpopProof(key, 'GET', url(), { accessToken: `${token}x` }));
    });
    it('R-DPOP-3: wrong htm and wrong htu', async () => {
      await expectInvalidProof(await dpopProof(key, 'POST', url(), { accessToken: token }));
      await expectInvalidProof(await dpopProof(key, 'GET', `${issuer}/api/me`, { accessToken: token }));
    });
    it('R-DPOP-11: a proof by another key than cnf.jkt', async () => {
      const other = await dpopKey();
      await expectInvalidProof(await dpopProof(other, 'GET', url(), { accessToken: token }));
    });
    it('R-DPOP-4: a proof replayed at the resource', async () => {
      const proof = await dpopProof(key, 'GET', url(), { accessToken: token });
      expect((await getNotes(`DPoP ${token}`, proof)).status).toBe(200);
      await expectInvalidProof(proof);
    });
  });
});

describe('DPoP nonces at the resource server (DPOP_NONCE_REQUIRED=true)', () => {
  let app: TestApp;
  let issuer: string;
  let audience: string;
  let config: client.Configuration;

  beforeAll(async () => {
    ({ app, issuer, audience, config } = await startWithSampleApi({ DPOP_NONCE_REQUIRED: 'true' }));
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-DPOP-9: a proof without the nonce gets 401 DPoP error="use_dpop_nonce" with DPoP-Nonce, then succeeds with it', async () => {
    const key = await dpopKey();
    const worker = await createClient(app, { scope: 'notes:read', allowedResources: [audience] });
    const tokenCall = async (nonce?: string) =>
      request(app.publicServer)
        .post('/token')
        .auth(worker.clientId, worker.secret)
        .set('DPoP', await dpopProof(key, 'POST', `${issuer}/token`, nonce ? { claims: { nonce } } : {}))
        .type('form')
        .send({ grant_type: 'client_credentials', scope: 'notes:read', resource: audience });
    const challenge = await tokenCall();
    expect([challenge.status, challenge.body.error]).toEqual([400, 'use_dpop_nonce']);
    const issued = await tokenCall(challenge.headers['dpop-nonce']);
    expect(issued.status).toBe(200);
    const token = issued.body.access_token as string;
    const apiCall = async (nonce?: string) =>
      request(app.publicServer)
        .get('/api/notes')
        .set('Authorization', `DPoP ${token}`)
        .set(
          'DPoP',
          await dpopProof(key, 'GET', `${issuer}/api/notes`, {
            accessToken: token,
            ...(nonce ? { claims: { nonce } } : {}),
          }),
        );
    const refused = await apiCall();
    expect(refused.status).toBe(401);
    expect(parseDpopChallenge(refused.headers['www-authenticate'] as string).error).toBe('use_dpop_nonce');
    const rsNonce = refused.headers['dpop-nonce'] as string;
    expect(rsNonce).toBeTruthy();
    expect((await apiCall(rsNonce)).status).toBe(200);
  });

  it('R-DPOP-9: openid-client answers the nonce challenges of the token endpoint and of the API by itself', async () => {
    const DPoP = client.getDPoPHandle(config, await client.randomDPoPKeyPair());
    const tokens = await client.clientCredentialsGrant(
      config,
      { scope: 'notes:read', resource: audience },
      { DPoP },
    );
    const res = await client.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(`${issuer}/api/notes`),
      'GET',
      undefined,
      undefined,
      { DPoP },
    );
    expect(res.status).toBe(200);
  });
});
