import { jest } from '@jest/globals';
import request from 'supertest';
import { StoreUnavailableError } from '../../src/store/short-lived-store.js';
import { basicAuth, createClient, form, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { expectOAuthError } from '../support/oauth-assertions.js';

describe('POST /token (shared steps, client_credentials)', () => {
  let app: TestApp;
  let conf: TestClient;
  let rs: TestClient;
  let auth: string;

  beforeAll(async () => {
    app = await createTestApp();
    conf = await createClient(app, {
      allowedResources: ['https://api.example.com', 'https://other.example.com/v1'],
    });
    auth = basicAuth(conf.clientId, conf.secret);
    rs = await createClient(app, {
      canIntrospect: true,
      grantTypes: [],
      allowedResources: ['https://api.example.com', 'https://other.example.com/v1'],
    });
  });
  afterAll(async () => {
    await app.close();
  });

  /** `authorization` '' sends no Authorization header. */
  const token = (body: string, authorization = auth) => {
    const req = request(app.publicServer).post('/token').type('form');
    return (authorization ? req.set('Authorization', authorization) : req).send(body);
  };
  const introspect = async (accessToken: string) =>
    (
      await request(app.publicServer)
        .post('/introspect')
        .type('form')
        .set('Authorization', basicAuth(rs.clientId, rs.secret))
        .send(form({ token: accessToken }))
        .expect(200)
    ).body;

  it('R-TOK-8: client_credentials returns a bearer token with expires_in and scope', async () => {
    const res = await token(form({ grant_type: 'client_credentials' })).expect(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: expect.any(Number),
      scope: 'read write',
    });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['pragma']).toBe('no-cache');
  });

  it('R-TOK-12: no refresh token for client_credentials; sub is the client; default audience is the issuer', async () => {
    const res = await token(form({ grant_type: 'client_credentials', scope: 'read' })).expect(200);
    expect(res.body.refresh_token).toBeUndefined();
    await updateAllowed();
    const info = await introspect(res.body.access_token);
    expect(info).toMatchObject({ active: true, sub: conf.clientId, client_id: conf.clientId, scope: 'read' });
    expect(info.aud).toBe(app.shared.config.issuer);
  });

  async function updateAllowed(): Promise<void> {
    // The resource server may introspect tokens for the issuer audience too.
    if (!rs.client.allowedResources.includes(app.shared.config.issuer)) {
      const { updateClient } = await import('../support/clients.js');
      rs.client.allowedResources = [...rs.client.allowedResources, app.shared.config.issuer];
      await updateClient(app, rs.clientId, { allowedResources: rs.client.allowedResources });
    }
  }

  it('R-AT-6/R-AT-8: resource becomes the audience (registered spelling); unknown or fragment → invalid_target', async () => {
    const res = await token(
      form({ grant_type: 'client_credentials', resource: 'https://API.example.com/' }),
    ).expect(200);
    expect((await introspect(res.body.access_token)).aud).toBe('https://api.example.com');
    expectOAuthError(
      await token(form({ grant_type: 'client_credentials', resource: 'https://evil.example.com' })),
      400,
      'invalid_target',
    );
    expectOAuthError(
      await token(form({ grant_type: 'client_credentials', resource: 'https://api.example.com#x' })),
      400,
      'invalid_target',
    );
    expectOAuthError(
      await token(form({ grant_type: 'client_credentials', resource: 'not a uri' })),
      400,
      'invalid_target',
    );
  });

  it('R-TOK-4: resource may repeat (then invalid_target: one audience per token, R-AT-9), other parameters may not', async () => {
    expectOAuthError(
      await token(
        form({
          grant_type: 'client_credentials',
          resource: ['https://api.example.com', 'https://other.example.com/v1'],
        }),
      ),
      400,
      'invalid_target',
    );
    expectOAuthError(
      await token(form({ grant_type: ['client_credentials', 'client_credentials'] })),
      400,
      'invalid_request',
    );
    expectOAuthError(
      await token(form({ grant_type: 'client_credentials', scope: ['read', 'read'] })),
      400,
      'invalid_request',
    );
  });

  it('R-TOK-4: an empty value counts as absent', async () => {
    const res = await token('grant_type=client_credentials&scope=').expect(200);
    expect(res.body.scope).toBe('read write');
    expectOAuthError(await token('grant_type=&scope=read'), 400, 'invalid_request');
  });

  it('R-TOK-3: unknown parameters are ignored, even repeated', async () => {
    await token(form({ grant_type: 'client_credentials', foo: ['1', '2'], code: 'x' })).expect(200);
  });

  it('R-TOK-13: scope wider than allowed or malformed → invalid_scope; narrower is granted', async () => {
    expectOAuthError(
      await token(form({ grant_type: 'client_credentials', scope: 'read admin' })),
      400,
      'invalid_scope',
    );
    expectOAuthError(
      await token(form({ grant_type: 'client_credentials', scope: 'read "x"' })),
      400,
      'invalid_scope',
    );
    const res = await token(form({ grant_type: 'client_credentials', scope: 'write' })).expect(200);
    expect(res.body.scope).toBe('write');
  });

  it('R-TOK-5: missing grant_type → invalid_request; unknown → unsupported_grant_type', async () => {
    expectOAuthError(await token(form({ scope: 'read' })), 400, 'invalid_request');
    expectOAuthError(await token(form({ grant_type: 'urn:example:nope' })), 400, 'unsupported_grant_type');
  });

  it('R-TOK-6: password and implicit grants are unsupported', async () => {
    for (const grant of ['password', 'implicit', 'token']) {
      expectOAuthError(
        await token(form({ grant_type: grant, username: 'a', password: 'b' })),
        400,
        'unsupported_grant_type',
      );
    }
  });

  it('R-TOK-7: a grant type the client is not registered for → unauthorized_client', async () => {
    const only = await createClient(app, { grantTypes: ['refresh_token'] });
    expectOAuthError(
      await token(form({ grant_type: 'client_credentials' }), basicAuth(only.clientId, only.secret)),
      400,
      'unauthorized_client',
    );
  });

  it('R-TOK-12/R-CLI-5: a public client never gets client_credentials tokens', async () => {
    const pub = await createClient(app, {
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['client_credentials'],
    });
    expectOAuthError(
      await token(form({ grant_type: 'client_credentials', client_id: pub.clientId }), ''),
      400,
      'unauthorized_client',
    );
  });

  it('R-TOK-11: failed Basic authentication → 401 invalid_client with a Basic challenge', async () => {
    const res = await token(form({ grant_type: 'client_credentials' }), basicAuth(conf.clientId, 'wrong'));
    expectOAuthError(res, 401, 'invalid_client');
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="/);
  });

  it('R-TOK-11: broken Basic encodings → 401 invalid_client, never 5xx', async () => {
    const broken = [
      'Basic !!!!',
      'Basic',
      `Basic ${Buffer.from('no-colon-here').toString('base64')}`,
      `Basic ${Buffer.from(`${conf.clientId}:%zz`).toString('base64')}`,
      `Basic ${Buffer.from(':secret').toString('base64')}`,
      `Basic ${Buffer.from([0xff, 0xfe, 0x3a, 0x00]).toString('base64')}`,
      'Bearer abc',
    ];
    for (const header of broken) {
      const res = await token(form({ grant_type: 'client_credentials' }), header);
      expectOAuthError(res, 401, 'invalid_client');
      expect(res.headers['www-authenticate']).toMatch(/^Basic /);
    }
  });

  it('R-TOK-2: only application/x-www-form-urlencoded bodies (JSON, text, multipart → invalid_request)', async () => {
    const json = await request(app.publicServer)
      .post('/token')
      .set('Authorization', auth)
      .send({ grant_type: 'client_credentials' });
    expectOAuthError(json, 400, 'invalid_request');
    const text = await request(app.publicServer)
      .post('/token')
      .set('Authorization', auth)
      .set('Content-Type', 'text/plain')
      .send('grant_type=client_credentials');
    expectOAuthError(text, 400, 'invalid_request');
    const multipart = await request(app.publicServer)
      .post('/token')
      .set('Authorization', auth)
      .field('grant_type', 'client_credentials');
    expectOAuthError(multipart, 400, 'invalid_request');
    const none = await request(app.publicServer).post('/token').set('Authorization', auth);
    expectOAuthError(none, 400, 'invalid_request');
    const charset = await request(app.publicServer)
      .post('/token')
      .set('Authorization', auth)
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8')
      .send('grant_type=client_credentials');
    expect(charset.status).toBe(200);
  });

  it('R-CAUTH-2: credentials in the query string are never accepted', async () => {
    const res = await request(app.publicServer)
      .post(`/token?client_id=${conf.clientId}&client_secret=${conf.secret}`)
      .type('form')
      .send(form({ grant_type: 'client_credentials' }));
    expectOAuthError(res, 401, 'invalid_client');
  });

  it('R-TOK-1: other methods → 405 with Allow: POST as OAuth JSON', async () => {
    for (const method of ['get', 'put', 'patch', 'delete'] as const) {
      const res = await request(app.publicServer)[method]('/token');
      expectOAuthError(res, 405, 'invalid_request');
      expect(res.headers['allow']).toBe('POST');
    }
  });

  it('R-TOK-9: a 1 MB body → 413 JSON with no-store', async () => {
    const res = await token(`grant_type=client_credentials&junk=${'a'.repeat(1024 * 1024)}`);
    expectOAuthError(res, 413, 'invalid_request');
  });

  it('store outage during /token → 503 temporarily_unavailable with Retry-After, then recovery', async () => {
    const spy = jest
      .spyOn(app.shared.store, 'increment')
      .mockRejectedValueOnce(new StoreUnavailableError(new Error('connection refused')));
    try {
      const res = await token(
        form({ grant_type: 'client_credentials' }),
        basicAuth(conf.clientId, 'wrong-secret'),
      );
      expectOAuthError(res, 503, 'temporarily_unavailable');
      expect(res.headers['retry-after']).toBeDefined();
      expect(spy).toHaveBeenCalled();
      const again = await token(
        form({ grant_type: 'client_credentials' }),
        basicAuth(conf.clientId, 'wrong-secret'),
      );
      expectOAuthError(again, 401, 'invalid_client');
    } finally {
      spy.mockRestore();
    }
  });
});
