import request from 'supertest';
import { AuditWriter } from '../../src/audit/audit-writer.js';
import { ClientEntity } from '../../src/clients/client.entity.js';
import { OwnerEntity } from '../../src/owners/owner.entity.js';
import { adminRequest } from '../support/admin-request.js';
import {
  authorizeThroughPages,
  callbackParams,
  codeRequest,
  createCodeClient,
  createOwner,
} from '../support/authorize-flow.js';
import { basicAuth, createClient, form } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { issueFamily } from '../support/refresh-tokens.js';
import { UserAgent } from '../support/user-agent.js';

interface Event {
  id: string;
  type: string;
  occurred_at: string;
  actor: { type: string; id: string | null };
  subject: { type: string; id: string | null };
  owner_id: string | null;
  source_address: string | null;
  data: Record<string, unknown>;
}

describe('audit events (transactional outbox) and GET /admin/audit-events', () => {
  let app: TestApp;
  const admin = () => adminRequest(app);

  beforeAll(async () => {
    app = await createTestApp({ REGISTRATION_POLICY: 'token' });
  });
  afterAll(async () => {
    await app.close();
  });

  async function events(query: Record<string, string> = {}): Promise<Event[]> {
    const res = await admin()
      .get(`/admin/audit-events?${new URLSearchParams({ limit: '200', ...query }).toString()}`)
      .expect(200);
    return res.body.data as Event[];
  }
  const ofSubject = async (id: string) => (await events({ subject: id })).map((e) => e.type).reverse();
  /** Every stored event, raw, to look for secrets anywhere. */
  const everything = async () =>
    JSON.stringify(await app.shared.dataSource.query('SELECT * FROM audit_events'));

  it('client created / updated / secret rotated / deleted, by the admin principal, without secrets', async () => {
    const created = await admin()
      .post('/admin/clients', {
        client_name: 'Audited',
        redirect_uris: ['https://app.example.com/cb'],
        grant_types: ['authorization_code', 'refresh_token'],
      })
      .expect(201);
    const id = created.body.client_id as string;
    await admin().patch(`/admin/clients/${id}`, { client_name: 'Audited 2' }).expect(200);
    const rotated = await admin().post(`/admin/clients/${id}/secret`).expect(200);
    await admin().delete(`/admin/clients/${id}`).expect(204);
    expect(await ofSubject(id)).toEqual([
      'client.created',
      'client.updated',
      'client.secret_rotated',
      'client.deleted',
    ]);
    const [deleted, , updated] = await events({ subject: id });
    expect(deleted?.actor).toEqual({ type: 'admin', id: 'ADMIN_TOKEN' });
    expect(deleted?.source_address).toMatch(/127\.0\.0\.1/);
    expect(updated?.data).toMatchObject({ changed: ['clientName'] });
    const all = await everything();
    expect(all).not.toContain(created.body.client_secret as string);
    expect(all).not.toContain(rotated.body.client_secret as string);
  });

  it('owner created / updated / disabled / password reset; no password or personal value stored', async () => {
    const res = await admin()
      .post('/admin/owners', { username: 'audit.alice', password: 'first password 123', email: 'a@x.test' })
      .expect(201);
    const id = res.body.id as string;
    await admin().patch(`/admin/owners/${id}`, { display_name: 'Alice Auditée' }).expect(200);
    await admin().patch(`/admin/owners/${id}`, { disabled: true }).expect(200);
    await admin().post(`/admin/owners/${id}/password`, { password: 'second password 456' }).expect(200);
    expect(await ofSubject(id)).toEqual([
      'owner.created',
      'owner.updated',
      'owner.disabled',
      'owner.password_reset',
    ]);
    const all = await everything();
    for (const secret of [
      'first password 123',
      'second password 456',
      'a@x.test',
      'Alice Auditée',
      'audit.alice',
    ]) {
      expect(all).not.toContain(secret);
    }
  });

  it('login success and failure with the source address, consent granted and revoked by the owner', async () => {
    const owner = await createOwner(app);
    const client = await createCodeClient(app);
    const ua = new UserAgent(app.publicServer);
    const req = codeRequest(client.clientId);
    let page = await ua.follow(await ua.get(req.url));
    page = await ua.submit(page, { username: owner.username, password: 'wrong password!!' });
    expect(page.status).toBe(401);
    const res = await authorizeThroughPages(ua, req.url, owner);
    expect(callbackParams(res).get('code')).toBeTruthy();

    const failed = (await events({ type: 'login.failed' }))[0];
    expect(failed).toMatchObject({ actor: { type: 'anonymous' }, data: { reason: 'invalid_credentials' } });
    expect(failed?.source_address).toBeTruthy();
    expect(failed?.subject.id).toMatch(/^[0-9a-f]{64}$|^[A-Za-z0-9_-]{43}$/);
    const ok = (await events({ type: 'login.succeeded', owner_id: owner.id }))[0];
    expect(ok).toMatchObject({
      actor: { type: 'owner', id: owner.id },
      data: { client_id: client.clientId },
    });
    expect(ok?.source_address).toBeTruthy();
    expect(await everything()).not.toContain('wrong password!!');

    const granted = (await events({ type: 'consent.granted', owner_id: owner.id }))[0];
    expect(granted).toMatchObject({
      actor: { type: 'owner', id: owner.id },
      data: { client_id: client.clientId },
    });
    await admin().delete(`/admin/consent-grants/${granted?.subject.id}`).expect(204);
    expect(await ofSubject(granted?.subject.id as string)).toEqual(['consent.granted', 'consent.revoked']);
  });

  it('grant revoked (by whom) and refresh reuse detected; a normal refresh writes no event', async () => {
    const client = await createClient(app);
    const family = await issueFamily(app, client.client, { ownerId: 'owner-r' });
    const refresh = (token: string) =>
      request(app.publicServer)
        .post('/token')
        .type('form')
        .set('Authorization', basicAuth(client.clientId, client.secret))
        .send(form({ grant_type: 'refresh_token', refresh_token: token }));
    const before = (await events()).length;
    const first = await refresh(family.token).expect(200);
    expect((await events()).length).toBe(before);
    await refresh(family.token).expect(400);
    expect(await ofSubject(family.familyId)).toEqual(['refresh_token.reuse_detected', 'grant.revoked']);
    const reuse = (await events({ subject: family.familyId }))[0];
    expect(reuse).toMatchObject({
      owner_id: 'owner-r',
      actor: { type: 'client', id: client.clientId },
      data: { reason: 'reuse_detected' },
    });
    expect(await everything()).not.toContain(first.body.refresh_token as string);

    // RFC 7009 revocation by the client itself.
    const byClient = await issueFamily(app, client.client, { ownerId: 'owner-r' });
    await request(app.publicServer)
      .post('/revoke')
      .type('form')
      .set('Authorization', basicAuth(client.clientId, client.secret))
      .send(form({ token: byClient.token }))
      .expect(200);
    expect((await events({ subject: byClient.familyId }))[0]).toMatchObject({
      type: 'grant.revoked',
      actor: { type: 'client', id: client.clientId },
      data: { reason: 'revocation_endpoint' },
    });

    const other = await issueFamily(app, client.client, { ownerId: 'owner-r' });
    await admin().delete(`/admin/grants/${other.familyId}`).expect(204);
    expect((await events({ subject: other.familyId }))[0]).toMatchObject({
      type: 'grant.revoked',
      actor: { type: 'admin', id: 'ADMIN_TOKEN' },
      data: { reason: 'admin', client_id: client.clientId },
    });
  });

  it('key rotated, initial access token created and used, admin authentication failures', async () => {
    // The first key, created at start-up, is attributed to the system.
    const startup = (await events({ type: 'key.rotated' })).at(-1);
    expect(startup).toMatchObject({ actor: { type: 'system', id: null }, data: { generation: 1 } });
    const key = await admin().post('/admin/keys/rotate').expect(201);
    expect((await events({ subject: key.body.kid as string }))[0]).toMatchObject({
      type: 'key.rotated',
      actor: { type: 'admin' },
    });
    const iat = await admin().post('/admin/initial-access-tokens', { max_uses: 1 }).expect(201);
    const iatId = iat.body.id as string;
    await request(app.publicServer)
      .post('/register')
      .set('Authorization', `Bearer ${iat.body.token as string}`)
      .send({ redirect_uris: ['https://app.example.com/cb'] })
      .expect(201);
    await admin().delete(`/admin/initial-access-tokens/${iatId}`).expect(204);
    expect(await ofSubject(iatId)).toEqual([
      'initial_access_token.created',
      'initial_access_token.used',
      'initial_access_token.revoked',
    ]);
    expect(await everything()).not.toContain(iat.body.token as string);
    const registered = (await events({ type: 'client.created' }))[0];
    expect(registered?.actor).toEqual({ type: 'initial_access_token', id: iatId });

    await request(app.adminServer)
      .get('/admin/clients')
      .set('Authorization', 'Bearer wrong-token')
      .expect(401);
    await request(app.adminServer).get('/admin/clients').expect(401);
    const failures = await events({ type: 'admin.authentication_failed' });
    expect(failures.map((f) => f.data.reason)).toEqual(['missing_credentials', 'invalid_token']);
    expect(failures[0]?.source_address).toBeTruthy();
    expect(await everything()).not.toContain('wrong-token');
  });

  it('no event when the transaction of the action rolls back (and no change either)', async () => {
    const writer = app.adminApp.get(AuditWriter);
    const created = await admin()
      .post('/admin/clients', { client_name: 'Rollback', redirect_uris: ['https://app.example.com/cb'] })
      .expect(201);
    const id = created.body.client_id as string;
    const owner = await createOwner(app);
    // The event is written, then the transaction fails: both must be rolled back.
    const record = writer.record.bind(writer);
    writer.record = async (m, input, now) => {
      await record(m, input, now);
      throw new Error('simulated failure after the event was written');
    };
    try {
      await admin().patch(`/admin/clients/${id}`, { client_name: 'Never stored' }).expect(500);
      await admin().post(`/admin/owners/${owner.id}/password`, { password: 'never stored 789' }).expect(500);
      await admin().patch(`/admin/owners/${owner.id}`, { disabled: true }).expect(500);
    } finally {
      writer.record = record;
    }
    expect(await ofSubject(id)).toEqual(['client.created']);
    expect(await ofSubject(owner.id)).toEqual(['owner.created']);
    const ds = app.shared.dataSource;
    expect((await ds.getRepository(ClientEntity).findOneByOrFail({ clientId: id })).clientName).toBe(
      'Rollback',
    );
    expect((await ds.getRepository(OwnerEntity).findOneByOrFail({ id: owner.id })).disabled).toBe(false);
    // The app still works after the rollbacks.
    await admin().patch(`/admin/clients/${id}`, { client_name: 'Stored' }).expect(200);
    expect(await ofSubject(id)).toEqual(['client.created', 'client.updated']);
  });

  it('filters by type, subject, actor, owner and time range; cursor pagination walks every event once', async () => {
    const all = await events();
    expect(all.length).toBeGreaterThan(20);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin()
        .get(`/admin/audit-events?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      expect(res.body.data.length).toBeLessThanOrEqual(7);
      seen.push(...(res.body.data as Event[]).map((e) => e.id));
      cursor = res.body.next_cursor as string | null;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));

    const byActor = await events({ actor: 'ADMIN_TOKEN' });
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((e) => e.actor.id === 'ADMIN_TOKEN')).toBe(true);
    const byType = await events({ type: 'client.created' });
    expect(byType.every((e) => e.type === 'client.created')).toBe(true);
    const middle = all[Math.floor(all.length / 2)] as Event;
    const since = await events({ since: middle.occurred_at });
    expect(since.every((e) => e.occurred_at >= middle.occurred_at)).toBe(true);
    const until = await events({ until: middle.occurred_at });
    expect(until.every((e) => e.occurred_at < middle.occurred_at)).toBe(true);
    expect(since.length + until.length).toBe(all.length);

    await admin().get('/admin/audit-events?type=nope').expect(400);
    await admin().get('/admin/audit-events?cursor=abc').expect(400);
    await admin().get('/admin/audit-events?since=yesterday').expect(400);
    const doc = await admin().get('/admin/docs/json').expect(200);
    expect(Object.keys(doc.body.paths as object)).toContain('/admin/audit-events');
  });
});
