import request from 'supertest';
import { ClientRegistry } from '../../src/clients/client-registry.js';
import { hashSecret } from '../../src/common/crypto/secret-hash.js';
import { ClientEntity } from '../../src/clients/client.entity.js';
import { RefreshTokenFamilyEntity } from '../../src/tokens/refresh-tokens/refresh-token-family.entity.js';
import { RefreshTokenService } from '../../src/tokens/refresh-tokens/refresh-token.service.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

const webApp = {
  client_name: 'Web app',
  redirect_uris: ['https://app.example.com/cb'],
  grant_types: ['authorization_code', 'refresh_token'],
};

describe('admin API: clients', () => {
  let app: TestApp;
  const admin = () => ({ Authorization: `Bearer ${app.adminToken}` });
  const post = (body: unknown) =>
    request(app.adminServer)
      .post('/admin/clients')
      .set(admin())
      .send(body as object);
  const registry = () => app.adminApp.get(ClientRegistry);
  const row = (clientId: string) =>
    app.shared.dataSource.getRepository(ClientEntity).findOneByOrFail({ clientId });

  beforeAll(async () => {
    app = await createTestApp({ CLIENT_SECRET_ROTATION_GRACE: '2' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('R-CLI-1/R-CAUTH-12: creates a confidential client, shows the secret once and stores only its hash', async () => {
    const res = await post(webApp).expect(201);
    const body = res.body;
    expect(body).toMatchObject({
      client_name: 'Web app',
      client_type: 'confidential',
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: ['https://app.example.com/cb'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid profile email offline_access notes:read notes:write',
      allowed_resources: [],
      access_token_format: 'jwt',
      refresh_token_rotation: true,
      disabled: false,
    });
    expect(body.client_id).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(JSON.stringify(body)).not.toMatch(/hash/i);
    const stored = await row(body.client_id);
    expect(stored.secretHash).toBe(hashSecret(body.client_secret));
    expect(JSON.stringify(stored)).not.toContain(body.client_secret);

    const got = await request(app.adminServer)
      .get(`/admin/clients/${body.client_id}`)
      .set(admin())
      .expect(200);
    expect(got.body.client_secret).toBeUndefined();
    expect(got.body).toMatchObject({ client_id: body.client_id, client_name: 'Web app' });
    expect(JSON.stringify(got.body)).not.toMatch(/hash/i);
    const client = await registry().find(body.client_id);
    expect(client && registry().verifySecret(client, body.client_secret)).toBe(true);
    expect(client && registry().verifySecret(client, `${body.client_secret}x`)).toBe(false);
  });

  it('R-CLI-3: client ids are server-generated and unique; a client_id in the body is rejected', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      ids.add((await post(webApp).expect(201)).body.client_id);
    }
    expect(ids.size).toBe(5);
    const res = await post({ ...webApp, client_id: 'chosen' }).expect(400);
    expect(res.body.error_description).toContain('client_id');
  });

  it('R-CLI-1: public clients get no secret', async () => {
    const res = await post({ ...webApp, token_endpoint_auth_method: 'none' }).expect(201);
    expect(res.body.client_type).toBe('public');
    expect(res.body.client_secret).toBeUndefined();
    expect((await row(res.body.client_id)).secretHash).toBeNull();
  });

  it('R-CLI-5: a public client cannot have client_credentials', async () => {
    const res = await post({
      client_name: 'cli',
      token_endpoint_auth_method: 'none',
      grant_types: ['client_credentials'],
    }).expect(400);
    expect(res.body.error).toBe('invalid_client_metadata');
    expect(res.body.error_description).toContain('client_credentials');
  });

  it('R-CLI-6/R-CLI-8: invalid redirect URIs are rejected with invalid_redirect_uri', async () => {
    for (const uri of [
      'https://*.example.com/cb',
      'http://app.example.com/cb',
      'myapp:/cb',
      'https://a.example/cb#x',
    ]) {
      const res = await post({ ...webApp, redirect_uris: [uri] }).expect(400);
      expect(res.body.error).toBe('invalid_redirect_uri');
    }
  });

  it('R-REG-6: implicit and password grants and response type token are refused', async () => {
    for (const body of [
      { ...webApp, grant_types: ['implicit'] },
      { ...webApp, grant_types: ['password'] },
      { ...webApp, response_types: ['token'] },
    ]) {
      const res = await post(body).expect(400);
      expect(res.body.error).toBe('invalid_client_metadata');
    }
  });

  it('R-REG-4: private_key_jwt needs jwks or jwks_uri, never both', async () => {
    const jwks = {
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        },
      ],
    };
    await post({ ...webApp, token_endpoint_auth_method: 'private_key_jwt' }).expect(400);
    await post({
      ...webApp,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks,
      jwks_uri: 'https://a.example/jwks',
    }).expect(400);
    const ok = await post({ ...webApp, token_endpoint_auth_method: 'private_key_jwt', jwks }).expect(201);
    expect(ok.body.client_secret).toBeUndefined();
    expect(ok.body.jwks).toEqual(jwks);
    const priv = await post({
      ...webApp,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [{ ...jwks.keys[0], d: 'secret' }] },
    }).expect(400);
    expect(priv.body.error_description).toContain('public keys');
  });

  it('R-REG-5: the code grant needs a redirect URI', async () => {
    const res = await post({ client_name: 'x' }).expect(400);
    expect(res.body.error).toBe('invalid_redirect_uri');
  });

  it('rejects scopes outside the configured SCOPES', async () => {
    const res = await post({ ...webApp, scope: 'openid admin:all' }).expect(400);
    expect(res.body).toMatchObject({ error: 'invalid_client_metadata' });
    expect(res.body.error_description).toContain('admin:all');
  });

  it('rejects unknown fields and wrong types with 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...webApp, colour: 'blue' }, 'colour'],
      [{ ...webApp, redirect_uris: 'https://a.example/cb' }, 'redirect_uris'],
      [{ ...webApp, client_name: 42 }, 'client_name'],
      [{ ...webApp, access_token_ttl: 'long' }, 'access_token_ttl'],
      [{ ...webApp, access_token_format: 'xml' }, 'access_token_format'],
      [{ ...webApp, first_party: 'yes' }, 'first_party'],
      [{ ...webApp, allowed_resources: ['not a uri'] }, 'allowed_resources'],
      [{ ...webApp, client_name: undefined }, 'client_name'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body).expect(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.body.error_description).toContain(field);
    }
  });

  it('answers hostile bodies with 4xx JSON, never 5xx', async () => {
    for (const raw of [
      '[]',
      '"x"',
      'null',
      '42',
      '{"client_name":',
      '{"redirect_uris":[{"a":1}]}',
      '{"jwks":[]}',
    ]) {
      const res = await request(app.adminServer)
        .post('/admin/clients')
        .set(admin())
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.error).toEqual(expect.any(String));
    }
    const long = await request(app.adminServer)
      .get(`/admin/clients/${'a'.repeat(150)}`)
      .set(admin());
    expect(long.status).toBe(404);
  });

  it('answers a 1 MB body with 413 JSON, never 5xx', async () => {
    const res = await post({ ...webApp, client_name: 'x'.repeat(1024 * 1024) }).expect(413);
    expect(res.body.error).toBeDefined();
  });

  it('answers 404 for unknown ids on every route', async () => {
    const id = 'no-such-client';
    await request(app.adminServer).get(`/admin/clients/${id}`).set(admin()).expect(404);
    await request(app.adminServer)
      .patch(`/admin/clients/${id}`)
      .set(admin())
      .send({ disabled: true })
      .expect(404);
    await request(app.adminServer).delete(`/admin/clients/${id}`).set(admin()).expect(404);
    const res = await request(app.adminServer).post(`/admin/clients/${id}/secret`).set(admin()).expect(404);
    expect(res.body.error).toBe('not_found');
  });

  it('requires the admin token', async () => {
    await request(app.adminServer).get('/admin/clients').expect(401);
    await request(app.publicServer).get('/admin/clients').set(admin()).expect(404);
  });

  it('lists with pagination and filters', async () => {
    const tag = `List-${Date.now()}`;
    for (let i = 0; i < 5; i++) {
      await post({
        ...webApp,
        client_name: `${tag} ${i}`,
        token_endpoint_auth_method: i % 2 === 0 ? 'none' : 'client_secret_post',
        disabled: i === 4,
      }).expect(201);
    }
    const list = (q: string) => request(app.adminServer).get(`/admin/clients?${q}`).set(admin()).expect(200);
    const page1 = (await list(`name=${encodeURIComponent(tag.toLowerCase())}&limit=2`)).body;
    expect(page1).toMatchObject({ total: 5, limit: 2, offset: 0 });
    expect(page1.items.map((c: { client_name: string }) => c.client_name)).toEqual([`${tag} 0`, `${tag} 1`]);
    const page3 = (await list(`name=${tag}&limit=2&offset=4`)).body;
    expect(page3.items.map((c: { client_name: string }) => c.client_name)).toEqual([`${tag} 4`]);
    const publicOnes = (await list(`name=${tag}&token_endpoint_auth_method=none`)).body;
    expect(publicOnes.total).toBe(3);
    const disabled = (await list(`name=${tag}&disabled=true`)).body;
    expect(disabled.items.map((c: { client_name: string }) => c.client_name)).toEqual([`${tag} 4`]);
    expect((await list(`name=${tag}&disabled=false`)).body.total).toBe(4);
    expect((await list('name=%25')).body.total).toBe(0); // LIKE wildcards are escaped
    expect(page1.items[0].client_secret).toBeUndefined();
    for (const q of [
      'limit=101',
      'limit=0',
      'offset=-1',
      'limit=abc',
      'disabled=maybe',
      'token_endpoint_auth_method=x',
      'foo=1',
    ]) {
      const res = await request(app.adminServer).get(`/admin/clients?${q}`).set(admin()).expect(400);
      expect(res.body.error_description).toContain(q.split('=')[0]);
    }
  });

  it('updates partially and the registry serves the updated client at once (cache invalidation)', async () => {
    const { client_id } = (await post(webApp).expect(201)).body;
    expect((await registry().find(client_id))?.clientName).toBe('Web app'); // now cached
    const res = await request(app.adminServer)
      .patch(`/admin/clients/${client_id}`)
      .set(admin())
      .send({ client_name: 'Renamed', disabled: true, access_token_ttl: 120 })
      .expect(200);
    expect(res.body).toMatchObject({ client_name: 'Renamed', disabled: true, access_token_ttl: 120 });
    expect(res.body.redirect_uris).toEqual(webApp.redirect_uris);
    expect(res.body.client_secret).toBeUndefined();
    const cached = await registry().find(client_id);
    expect(cached).toMatchObject({ clientName: 'Renamed', disabled: true, accessTokenTtl: 120 });
    // The public listener's registry (another instance) is invalidated too.
    await new Promise((r) => setTimeout(r, 50));
    expect((await app.publicApp.get(ClientRegistry).find(client_id))?.clientName).toBe('Renamed');

    await request(app.adminServer)
      .patch(`/admin/clients/${client_id}`)
      .set(admin())
      .send({ access_token_ttl: null })
      .expect(200);
    expect((await registry().find(client_id))?.accessTokenTtl).toBeNull();
    const bad = await request(app.adminServer)
      .patch(`/admin/clients/${client_id}`)
      .set(admin())
      .send({ client_name: null })
      .expect(400);
    expect(bad.body.error_description).toContain('client_name');
    await request(app.adminServer)
      .patch(`/admin/clients/${client_id}`)
      .set(admin())
      .send({ redirect_uris: ['http://evil.example/cb'] })
      .expect(400);
    expect((await row(client_id)).redirectUris).toEqual(webApp.redirect_uris);
  });

  it('R-CLI-5: switching to a public client drops the secret; switching back issues a new one', async () => {
    const created = (await post(webApp).expect(201)).body;
    const pub = await request(app.adminServer)
      .patch(`/admin/clients/${created.client_id}`)
      .set(admin())
      .send({ token_endpoint_auth_method: 'none' })
      .expect(200);
    expect(pub.body.client_secret).toBeUndefined();
    expect((await row(created.client_id)).secretHash).toBeNull();
    await request(app.adminServer)
      .patch(`/admin/clients/${created.client_id}`)
      .set(admin())
      .send({ grant_types: ['client_credentials'] })
      .expect(400);
    const back = await request(app.adminServer)
      .patch(`/admin/clients/${created.client_id}`)
      .set(admin())
      .send({ token_endpoint_auth_method: 'client_secret_post' })
      .expect(200);
    expect(back.body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(back.body.client_secret).not.toBe(created.client_secret);
  });

  it('R-CAUTH-12: rotation issues a new secret; the old one verifies only during the grace period', async () => {
    const created = (await post(webApp).expect(201)).body;
    const rotated = await request(app.adminServer)
      .post(`/admin/clients/${created.client_id}/secret`)
      .set(admin())
      .expect(200);
    const newSecret: string = rotated.body.client_secret;
    expect(newSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSecret).not.toBe(created.client_secret);
    expect(rotated.body.previous_secret_expires_at).toEqual(expect.any(String));
    const client = await registry().find(created.client_id);
    expect(client).not.toBeNull();
    if (!client) {
      return;
    }
    expect(registry().verifySecret(client, newSecret)).toBe(true);
    expect(registry().verifySecret(client, created.client_secret)).toBe(true);
    expect(registry().verifySecret(client, created.client_secret, new Date(Date.now() + 2500))).toBe(false);
    await new Promise((r) => setTimeout(r, 2100));
    expect(registry().verifySecret(client, created.client_secret)).toBe(false);
    expect(registry().verifySecret(client, newSecret)).toBe(true);
    const stored = await row(created.client_id);
    expect(stored.previousSecretHash).toBe(hashSecret(created.client_secret));
  });

  it('R-CAUTH-12: a second rotation ends the first secret at once', async () => {
    const created = (await post(webApp).expect(201)).body;
    await request(app.adminServer)
      .post(`/admin/clients/${created.client_id}/secret`)
      .set(admin())
      .expect(200);
    await request(app.adminServer)
      .post(`/admin/clients/${created.client_id}/secret`)
      .set(admin())
      .expect(200);
    const client = await registry().find(created.client_id);
    expect(client && registry().verifySecret(client, created.client_secret)).toBe(false);
  });

  it('refuses to rotate the secret of a client without one', async () => {
    const pub = (await post({ ...webApp, token_endpoint_auth_method: 'none' }).expect(201)).body;
    const res = await request(app.adminServer)
      .post(`/admin/clients/${pub.client_id}/secret`)
      .set(admin())
      .expect(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('R-REG-14: deleting a client revokes its grants (refresh-token families)', async () => {
    const { client_id } = (await post(webApp).expect(201)).body;
    const client = await row(client_id);
    const issued = await app.publicApp
      .get(RefreshTokenService)
      .issueFamily({ client, ownerId: null, scope: 'openid', resources: [] });
    await request(app.adminServer).delete(`/admin/clients/${client_id}`).set(admin()).expect(204);
    const family = await app.shared.dataSource
      .getRepository(RefreshTokenFamilyEntity)
      .findOneByOrFail({ id: issued.familyId });
    expect(family.revokedAt).not.toBeNull();
  });

  it('deletes a client and the registry forgets it', async () => {
    const { client_id } = (await post(webApp).expect(201)).body;
    expect(await registry().find(client_id)).not.toBeNull();
    await request(app.adminServer).delete(`/admin/clients/${client_id}`).set(admin()).expect(204);
    expect(await registry().find(client_id)).toBeNull();
    await request(app.adminServer).get(`/admin/clients/${client_id}`).set(admin()).expect(404);
  });

  it('documents the client routes in OpenAPI', async () => {
    const res = await request(app.adminServer).get('/admin/docs/json').set(admin()).expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/admin/clients', '/admin/clients/{id}', '/admin/clients/{id}/secret']),
    );
    expect(res.body.components.schemas.CreateClientDto.properties.redirect_uris).toBeDefined();
  });
});
