import { getRepositoryToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { Repository } from 'typeorm';
import { OwnerEntity } from '../../src/owners/owner.entity.js';
import { OwnersService } from '../../src/owners/owners.service.js';
import { adminRequest } from '../support/admin-request.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

describe('admin API: /admin/owners', () => {
  let app: TestApp;
  let admin: ReturnType<typeof adminRequest>;
  let rows: Repository<OwnerEntity>;
  let owners: OwnersService;

  beforeAll(async () => {
    app = await createTestApp();
    admin = adminRequest(app);
    rows = app.adminApp.get(getRepositoryToken(OwnerEntity), { strict: false });
    owners = app.adminApp.get(OwnersService, { strict: false });
  });
  afterAll(async () => {
    await app.close();
  });

  const create = (body: object) => admin.post('/admin/owners', body);

  it('creates an owner, returns it without any password material, and gets it back', async () => {
    const res = await create({
      username: 'Alice',
      password: 'correct horse battery',
      display_name: 'Alice Liddell',
      email: 'alice@example.com',
    }).expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      username: 'Alice',
      display_name: 'Alice Liddell',
      email: 'alice@example.com',
      claims: null, // OpenID Connect standard claims (none given)
      disabled: false,
      password_changed_at: expect.any(String),
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|password_hash|correct horse/);
    const got = await admin.get(`/admin/owners/${res.body.id}`).expect(200);
    expect(got.body).toEqual(res.body);
  });

  it('R-SEC-10: stores an argon2id hash, never the password', async () => {
    const res = await create({ username: 'hash-check', password: 'plaintext-never-stored' }).expect(201);
    const row = await rows.findOneByOrFail({ id: res.body.id });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain('plaintext-never-stored');
    expect(row.usernameKey).toBe('hash-check');
  });

  it('duplicate usernames are rejected case-insensitively with 409 JSON', async () => {
    await create({ username: 'Bob', password: 'password-bob-1' }).expect(201);
    for (const username of ['Bob', 'bob', 'BOB', 'ＢＯＢ' /* full-width, NFKC */]) {
      const res = await create({ username, password: 'password-bob-2' }).expect(409);
      expect(res.body).toEqual({ error: 'conflict', error_description: expect.stringContaining('username') });
    }
    expect(await rows.countBy({ usernameKey: 'bob' })).toBe(1);
  });

  it('concurrent creates of the same username yield exactly one owner', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => create({ username: 'racer', password: 'password-race' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it.each([
    [{ username: 42, password: 'password-123' }, 'username'],
    [{ username: 'carol', password: 12345678 }, 'password'],
    [{ username: 'carol', password: 'short' }, 'password'],
    [{ username: 'carol', password: 'x'.repeat(257) }, 'password'],
    [{ username: '', password: 'password-123' }, 'username'],
    [{ username: 'has space', password: 'password-123' }, 'username'],
    [{ username: 'x'.repeat(101), password: 'password-123' }, 'username'],
    [{ username: 'carol', password: 'password-123', email: 'not-an-email' }, 'email'],
    [{ username: 'carol', password: 'password-123', display_name: ['x'] }, 'display_name'],
    [{ password: 'password-123' }, 'username'],
  ])('R-SEC-3: rejects bad input %j with 400 naming %s', async (body, field) => {
    const res = await create(body).expect(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.error_description).toContain(field);
  });

  it('R-SEC-3: rejects unknown fields with 400 naming them', async () => {
    const res = await create({ username: 'dave', password: 'password-123', is_admin: true }).expect(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: expect.stringContaining('is_admin'),
    });
    await admin.get('/admin/owners?username=dave').expect(200, { items: [], total: 0, limit: 20, offset: 0 });
  });

  it('R-SEC-3: rejects malformed JSON and a 1 MB body with JSON errors, never 5xx', async () => {
    const bad = await request(app.adminServer)
      .post('/admin/owners')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .set('Content-Type', 'application/json')
      .send('{"username":')
      .expect(400);
    expect(bad.body.error).toBe('invalid_request');
    const big = await create({ username: 'big', password: 'p'.repeat(1024 * 1024) }).expect(413);
    expect(big.body).toEqual({
      error: 'invalid_request',
      error_description: expect.stringMatching(/too large/i),
    });
  });

  it('R-SEC-3: unknown ids answer 404 JSON; malformed ids 400', async () => {
    await admin
      .get('/admin/owners/00000000-0000-4000-8000-000000000000')
      .expect(404, { error: 'not_found', error_description: 'owner not found' });
    const res = await admin.get('/admin/owners/not-a-uuid').expect(400);
    expect(res.body.error_description).toContain('id');
  });

  it('lists with pagination and username-prefix / disabled filters', async () => {
    for (const name of ['list-a', 'list-b', 'List-C', 'other-x']) {
      await create({ username: name, password: 'password-list' }).expect(201);
    }
    const page1 = await admin.get('/admin/owners?username=LIST-&limit=2&offset=0').expect(200);
    expect(page1.body.total).toBe(3);
    expect(page1.body.items.map((o: { username: string }) => o.username)).toEqual(['list-a', 'list-b']);
    const page2 = await admin.get('/admin/owners?username=list-&limit=2&offset=2').expect(200);
    expect(page2.body.items.map((o: { username: string }) => o.username)).toEqual(['List-C']);
    // LIKE wildcards in the prefix are literal.
    await admin
      .get('/admin/owners?username=list%25')
      .expect(200)
      .expect((r) => expect(r.body.total).toBe(0));
    await admin
      .get('/admin/owners?username=list_')
      .expect(200)
      .expect((r) => expect(r.body.total).toBe(0));

    const c = page2.body.items[0] as { id: string };
    await admin.patch(`/admin/owners/${c.id}`, { disabled: true }).expect(200);
    const disabled = await admin.get('/admin/owners?disabled=true&username=list').expect(200);
    expect(disabled.body.items.map((o: { id: string }) => o.id)).toEqual([c.id]);
    const enabled = await admin.get('/admin/owners?disabled=false&username=list').expect(200);
    expect(enabled.body.total).toBe(2);

    for (const q of ['limit=101', 'limit=0', 'offset=-1', 'limit=abc', 'disabled=maybe', 'foo=1']) {
      const res = await admin.get(`/admin/owners?${q}`).expect(400);
      expect(res.body.error_description).toContain(q.split('=')[0]);
    }
  });

  it('PATCH updates display name and e-mail, null clears, disabled must be boolean', async () => {
    const { body } = await create({ username: 'erin', password: 'password-erin', email: 'erin@example.com' });
    const res = await admin
      .patch(`/admin/owners/${body.id}`, { display_name: 'Erin', email: null })
      .expect(200);
    expect(res.body).toMatchObject({ display_name: 'Erin', email: null, disabled: false });
    expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(body.updated_at));
    await admin.patch(`/admin/owners/${body.id}`, { disabled: 'yes' }).expect(400);
    await admin.patch(`/admin/owners/${body.id}`, { disabled: null }).expect(400);
    await admin.patch(`/admin/owners/${body.id}`, { username: 'renamed' }).expect(400);
    await admin
      .patch('/admin/owners/00000000-0000-4000-8000-000000000000', { display_name: 'x' })
      .expect(404);
  });

  it('R-AUTHZ-11: a password reset makes only the new password work and moves password_changed_at', async () => {
    const { body } = await create({ username: 'Frank', password: 'old-password-1' }).expect(201);
    expect((await owners.authenticate('frank', 'old-password-1'))?.id).toBe(body.id);
    const res = await admin
      .post(`/admin/owners/${body.id}/password`, { password: 'new-password-2' })
      .expect(200);
    expect(Date.parse(res.body.password_changed_at)).toBeGreaterThan(
      Date.parse(body.password_changed_at) - 1,
    );
    expect(JSON.stringify(res.body)).not.toContain('new-password-2');
    expect(await owners.authenticate('Frank', 'old-password-1')).toBeNull();
    expect((await owners.authenticate('FRANK', 'new-password-2'))?.id).toBe(body.id);
    await admin.post(`/admin/owners/${body.id}/password`, { password: 'short' }).expect(400);
    await admin.post(`/admin/owners/${body.id}/password`, {}).expect(400);
  });

  it('R-AUTHZ-11: a disabled owner cannot authenticate; re-enabled it can', async () => {
    const { body } = await create({ username: 'grace', password: 'password-grace' }).expect(201);
    await admin.patch(`/admin/owners/${body.id}`, { disabled: true }).expect(200);
    expect(await owners.authenticate('grace', 'password-grace')).toBeNull();
    await admin.patch(`/admin/owners/${body.id}`, { disabled: false }).expect(200);
    expect((await owners.authenticate('grace', 'password-grace'))?.id).toBe(body.id);
  });

  it('the owners admin API does not exist on the public listener', async () => {
    await request(app.publicServer)
      .get('/admin/owners')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .expect(404);
    await request(app.publicServer)
      .post('/admin/owners')
      .set('Authorization', `Bearer ${app.adminToken}`)
      .send({ username: 'mallory', password: 'password-mallory' })
      .expect(404);
  });
});
