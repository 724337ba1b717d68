import { jest } from '@jest/globals';
import { getRepositoryToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { Repository } from 'typeorm';
import { AdminTokenEntity } from '../../src/admin/admin-token.entity.js';
import { hashSecret } from '../../src/common/crypto/secret-hash.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

const ADMIN_ROUTES: [string, string][] = [
  ['get', '/admin/owners'],
  ['post', '/admin/owners'],
  ['get', '/admin/owners/00000000-0000-4000-8000-000000000000'],
  ['patch', '/admin/owners/00000000-0000-4000-8000-000000000000'],
  ['post', '/admin/owners/00000000-0000-4000-8000-000000000000/password'],
];

type Method = 'get' | 'post' | 'patch';
const call = (server: TestApp['adminServer'], method: string, path: string) =>
  request(server)[method as Method](path);

describe('admin API authentication and listener separation', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it.each(ADMIN_ROUTES)('%s %s without credentials: 401 with a Bearer challenge', async (method, path) => {
    const res = await call(app.adminServer, method, path).send({}).expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tessera-admin"');
    expect(res.body).toEqual({ error: 'unauthorized', error_description: 'admin credentials required' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['a wrong token', `Bearer ${'x'.repeat(43)}`],
    ['the right token with one character changed', 'REPLACE'],
    ['the right token with the Basic scheme', 'BASIC'],
    ['an empty bearer', 'Bearer '],
  ])('%s: 401 invalid_token with a challenge', async (_case, header) => {
    const value =
      header === 'REPLACE'
        ? `Bearer ${app.adminToken.slice(0, -1)}${app.adminToken.endsWith('a') ? 'b' : 'a'}`
        : header === 'BASIC'
          ? `Basic ${Buffer.from(`admin:${app.adminToken}`).toString('base64')}`
          : header;
    const res = await request(app.adminServer).get('/admin/owners').set('Authorization', value).expect(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="tessera-admin", error="invalid_token"$/);
    expect(res.body.error).toBe('invalid_token');
  });

  it('the right token is accepted', async () => {
    await request(app.adminServer)
      .get('/admin/owners')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .expect(200);
  });

  it.each(ADMIN_ROUTES)(
    '%s %s does not exist on the public listener (404), even with the admin token',
    async (method, path) => {
      const res = await call(app.publicServer, method, path)
        .set('Authorization', `Bearer ${app.adminToken}`)
        .send({ username: 'x', password: 'password-x' })
        .expect(404);
      expect(res.body).toEqual({ error: 'not_found', error_description: 'not found' });
    },
  );

  it('serves the OpenAPI document at /admin/docs/json on the admin listener only', async () => {
    const res = await request(app.adminServer)
      .get('/admin/docs/json')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/admin/owners', '/admin/owners/{id}', '/admin/owners/{id}/password']),
    );
    const create = res.body.paths['/admin/owners'].post;
    const schemaRef: string = create.requestBody.content['application/json'].schema.$ref;
    const schema = res.body.components.schemas[schemaRef.split('/').pop() as string];
    expect(schema.required).toEqual(expect.arrayContaining(['username', 'password']));
    expect(Object.keys(schema.properties)).toEqual([
      'username',
      'password',
      'display_name',
      'email',
      'claims', // OpenID Connect standard claims
    ]);
    await request(app.adminServer)
      .get('/admin/docs')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .expect(200);
    // Built on the first request (issue 18), once: the YAML form is the same document.
    const yaml = await request(app.adminServer)
      .get('/admin/docs/yaml')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .expect(200);
    expect(yaml.text).toMatch(/^openapi: 3\./m);
    expect(yaml.text).toContain('/admin/owners/{id}/password:');
    await request(app.publicServer).get('/admin/docs/json').expect(404);
    await request(app.publicServer).get('/admin/docs').expect(404);
  });
});

describe('bootstrap admin token (ADMIN_TOKEN unset)', () => {
  let app: TestApp;
  let printed = '';

  beforeAll(async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += String(chunk);
      return true;
    });
    try {
      app = await createTestApp({ ADMIN_TOKEN: '' });
    } finally {
      write.mockRestore();
    }
  });
  afterAll(async () => {
    await app.close();
  });

  const generated = (): string => {
    const token = /^\s{4}([A-Za-z0-9_-]{43})$/m.exec(printed)?.[1];
    expect(token).toBeDefined();
    return token as string;
  };

  it('R-SEC-10: generates a token, prints it once and stores only its SHA-256 hash', async () => {
    const token = generated();
    expect(printed.split(token)).toHaveLength(2); // printed exactly once
    const rows = app.adminApp.get<Repository<AdminTokenEntity>>(getRepositoryToken(AdminTokenEntity), {
      strict: false,
    });
    const all = await rows.find();
    expect(all).toHaveLength(1);
    expect(all[0]?.tokenHash).toBe(hashSecret(token));
    expect(JSON.stringify(all)).not.toContain(token);
  });

  it('the generated token authenticates admin requests; the configured test token does not', async () => {
    const token = generated();
    await request(app.adminServer).get('/admin/owners').set('Authorization', `Bearer ${token}`).expect(200);
    await request(app.adminServer)
      .get('/admin/owners')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .expect(401);
  });
});
