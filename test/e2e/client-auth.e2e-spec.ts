import { SignJWT, UnsecuredJWT } from 'jose';
import request from 'supertest';
import {
  assertionKey,
  clientAssertion,
  JWT_BEARER,
  type AssertionKey,
} from '../support/client-assertions.js';
import { basicAuth, createClient, form, updateClient, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { expectOAuthError } from '../support/oauth-assertions.js';
import { selfSignedCert, startHttpsServer, type SelfSignedCert } from '../support/self-signed-https.js';

describe('client authentication (R-CAUTH)', () => {
  let app: TestApp;
  let issuer: string;
  let basic: TestClient;
  let post: TestClient;
  let pub: TestClient;
  let jwtClient: TestClient;
  let key: AssertionKey;
  let cert: SelfSignedCert;

  beforeAll(async () => {
    cert = selfSignedCert();
    // The jwks_uri test serves keys from 127.0.0.1 over HTTPS with a self-signed certificate.
    app = await createTestApp({
      CLIENT_AUTH_MAX_FAILURES: '3',
      OUTBOUND_ALLOW_PRIVATE: 'true',
      OUTBOUND_CA_FILE: cert.certFile,
    });
    issuer = app.shared.config.issuer;
    basic = await createClient(app);
    post = await createClient(app, { tokenEndpointAuthMethod: 'client_secret_post' });
    pub = await createClient(app, { tokenEndpointAuthMethod: 'none', grantTypes: ['refresh_token'] });
    key = await assertionKey('ES256');
    jwtClient = await createClient(app, {
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [key.publicJwk] },
    });
  });
  afterAll(async () => {
    await app.close();
    cert.remove();
  });

  const cc = { grant_type: 'client_credentials' };
  const token = (params: Record<string, string | string[] | undefined>, authorization?: string) => {
    const req = request(app.publicServer).post('/token').type('form');
    return (authorization ? req.set('Authorization', authorization) : req).send(form(params));
  };
  const withAssertion = (assertion: string, extra: Record<string, string> = {}) =>
    token({ ...cc, client_assertion_type: JWT_BEARER, client_assertion: assertion, ...extra });

  it('R-CAUTH-1: a confidential client that does not authenticate gets invalid_client (401)', async () => {
    expectOAuthError(await token({ ...cc, client_id: basic.clientId }), 401, 'invalid_client');
    expectOAuthError(await token(cc), 401, 'invalid_client');
    expectOAuthError(
      await token({ ...cc, client_id: 'no-such-client', client_secret: 'x' }),
      401,
      'invalid_client',
    );
  });

  it('R-CAUTH-2: client_secret_post authenticates with client_id and client_secret in the body', async () => {
    await token({ ...cc, client_id: post.clientId, client_secret: post.secret }).expect(200);
    expectOAuthError(
      await token({ ...cc, client_id: post.clientId, client_secret: 'nope' }),
      401,
      'invalid_client',
    );
  });

  it('R-CAUTH-3: Basic credentials are form-url-decoded after splitting at the first colon', async () => {
    const odd = await createClient(app, { clientId: `odd:id ${Date.now()}`, secret: 'p+a%s:s wörd' });
    await token(cc, basicAuth(odd.clientId, odd.secret)).expect(200);
    // The raw, undecoded secret is not accepted: "+" means a space after decoding.
    const raw = `Basic ${Buffer.from(`${encodeURIComponent(odd.clientId)}:p+a%25s:s%20w%C3%B6rd`).toString('base64')}`;
    expectOAuthError(await token(cc, raw), 401, 'invalid_client');
  });

  it('R-CAUTH-4: more than one authentication method → invalid_request', async () => {
    const assertion = await clientAssertion(key, jwtClient.clientId, issuer);
    expectOAuthError(
      await token({ ...cc, client_secret: basic.secret }, basicAuth(basic.clientId, basic.secret)),
      400,
      'invalid_request',
    );
    expectOAuthError(
      await token(
        { ...cc, client_assertion_type: JWT_BEARER, client_assertion: assertion },
        basicAuth(basic.clientId, basic.secret),
      ),
      400,
      'invalid_request',
    );
    expectOAuthError(
      await token({
        ...cc,
        client_id: post.clientId,
        client_secret: post.secret,
        client_assertion_type: JWT_BEARER,
        client_assertion: assertion,
      }),
      400,
      'invalid_request',
    );
  });

  it('R-CAUTH-5: a method other than the registered one → invalid_client', async () => {
    expectOAuthError(await token(cc, basicAuth(post.clientId, post.secret)), 401, 'invalid_client');
    expectOAuthError(
      await token({ ...cc, client_id: basic.clientId, client_secret: basic.secret }),
      401,
      'invalid_client',
    );
  });

  it('R-CAUTH-6: public clients identify with client_id only; any secret is refused', async () => {
    const ok = await token({
      grant_type: 'refresh_token',
      client_id: pub.clientId,
      refresh_token: 'unknown',
    });
    expectOAuthError(ok, 400, 'invalid_grant'); // authenticated as public, then the grant failed
    expectOAuthError(
      await token({
        grant_type: 'refresh_token',
        client_id: pub.clientId,
        client_secret: 'x',
        refresh_token: 'unknown',
      }),
      401,
      'invalid_client',
    );
    expectOAuthError(
      await token({ grant_type: 'refresh_token', refresh_token: 'unknown' }, basicAuth(pub.clientId, '')),
      401,
      'invalid_client',
    );
  });

  it('R-CAUTH-1: a disabled client cannot authenticate', async () => {
    const gone = await createClient(app);
    await token(cc, basicAuth(gone.clientId, gone.secret)).expect(200);
    await updateClient(app, gone.clientId, { disabled: true });
    expectOAuthError(await token(cc, basicAuth(gone.clientId, gone.secret)), 401, 'invalid_client');
  });

  it('R-CAUTH-8/9: a valid private_key_jwt assertion authenticates (aud = issuer, string or one-element array)', async () => {
    await withAssertion(await clientAssertion(key, jwtClient.clientId, issuer)).expect(200);
    await withAssertion(await clientAssertion(key, jwtClient.clientId, [issuer])).expect(200);
    await withAssertion(await clientAssertion(key, jwtClient.clientId, issuer), {
      client_id: jwtClient.clientId,
    }).expect(200);
  });

  it('R-CAUTH-8: wrong assertion type or missing assertion → invalid_request; client_id mismatch → invalid_client', async () => {
    const assertion = await clientAssertion(key, jwtClient.clientId, issuer);
    expectOAuthError(
      await token({ ...cc, client_assertion_type: 'urn:other', client_assertion: assertion }),
      400,
      'invalid_request',
    );
    expectOAuthError(await token({ ...cc, client_assertion_type: JWT_BEARER }), 400, 'invalid_request');
    expectOAuthError(await withAssertion(assertion, { client_id: basic.clientId }), 401, 'invalid_client');
  });

  it('R-CAUTH-9: iss/sub, aud and exp are enforced', async () => {
    const bad: Record<string, unknown>[] = [
      { iss: 'someone-else' },
      { sub: 'someone-else' },
      { aud: `${issuer}/token` },
      { aud: [issuer, 'https://other.example'] },
      { exp: undefined },
      { exp: Math.floor(Date.now() / 1000) - 120 },
      { nbf: Math.floor(Date.now() / 1000) + 600 },
    ];
    for (const claims of bad) {
      expectOAuthError(
        await withAssertion(await clientAssertion(key, jwtClient.clientId, issuer, claims)),
        401,
        'invalid_client',
      );
    }
  });

  it('R-CAUTH-10: alg none, HS256, a foreign key or garbage → invalid_client', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: jwtClient.clientId,
      sub: jwtClient.clientId,
      aud: issuer,
      exp: now + 60,
      jti: `j-${now}`,
    };
    const none = new UnsecuredJWT(claims).encode();
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    const other = await assertionKey('ES256');
    const foreign = await clientAssertion({ ...other, kid: key.kid }, jwtClient.clientId, issuer);
    for (const assertion of [none, hs, foreign, 'not.a.jwt', 'garbage']) {
      expectOAuthError(await withAssertion(assertion), 401, 'invalid_client');
    }
  });

  it('R-CAUTH-11: a replayed jti and a far-away exp are refused', async () => {
    const assertion = await clientAssertion(key, jwtClient.clientId, issuer);
    await withAssertion(assertion).expect(200);
    expectOAuthError(await withAssertion(assertion), 401, 'invalid_client');
    const far = await clientAssertion(key, jwtClient.clientId, issuer, {
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    expectOAuthError(await withAssertion(far), 401, 'invalid_client');
  });

  it('R-CAUTH-10: keys are fetched from jwks_uri; RS256 works', async () => {
    const rsa = await assertionKey('RS256');
    const server = await startHttpsServer(cert, (_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: [rsa.publicJwk] }));
    });
    try {
      const remote = await createClient(app, {
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwksUri: `${server.origin}/jwks`,
      });
      await withAssertion(await clientAssertion(rsa, remote.clientId, issuer)).expect(200);
      expectOAuthError(
        await withAssertion(await clientAssertion(key, remote.clientId, issuer)),
        401,
        'invalid_client',
      );
    } finally {
      await server.close();
    }
  });

  it('R-CAUTH-10 / R-MCP-7: a jwks_uri that redirects, answers 204 or serves HTML is invalid_client, never a 5xx', async () => {
    const server = await startHttpsServer(cert, (req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { Location: 'https://127.0.0.1:6379/' }).end();
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else {
        res.setHeader('Content-Type', 'text/html');
        res.end(JSON.stringify({ keys: [key.publicJwk] }));
      }
    });
    try {
      for (const path of ['/redirect', '/empty', '/html']) {
        const remote = await createClient(app, {
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwksUri: `${server.origin}${path}`,
        });
        expectOAuthError(
          await withAssertion(await clientAssertion(key, remote.clientId, issuer)),
          401,
          'invalid_client',
        );
      }
    } finally {
      await server.close();
    }
  });

  it('R-SEC-6: repeated failed secret checks lock the client out for a while (429)', async () => {
    const victim = await createClient(app);
    for (let i = 0; i < 3; i++) {
      expectOAuthError(await token(cc, basicAuth(victim.clientId, `wrong-${i}`)), 401, 'invalid_client');
    }
    const locked = await token(cc, basicAuth(victim.clientId, victim.secret));
    expectOAuthError(locked, 429, 'too_many_requests');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Other clients are unaffected.
    await token(cc, basicAuth(basic.clientId, basic.secret)).expect(200);
  });
});
