import request from 'supertest';
import { AuditWriter } from '../../src/audit/audit-writer.js';
import { entities } from '../../src/database/entities.js';
import { adminRequest } from '../support/admin-request.js';
import {
  authorizeThroughPages,
  codeRequest,
  createCodeClient,
  exchangeCode,
  REDIRECT_URI,
} from '../support/authorize-flow.js';
import { basicAuth, createClient, form, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { UserAgent } from '../support/user-agent.js';

const ISSUER = 'http://127.0.0.1:3000';
const AUDIENCE = `${ISSUER}/api`;
const RS = { clientId: 'sample-api-rs', secret: 'sample-api-introspection-secret-0123456789' };
const PERSON = {
  username: 'erin.erasure',
  password: 'erin password 12345',
  email: 'erin@example.test',
  display_name: 'Erin Q. Person',
};

describe('owner erasure: DELETE /admin/owners/:id (right to erasure)', () => {
  let app: TestApp;
  const admin = () => adminRequest(app);
  const api = () => request(app.publicServer);

  beforeAll(async () => {
    app = await createTestApp({
      ISSUER,
      SAMPLE_API_CLIENT_ID: RS.clientId,
      SAMPLE_API_CLIENT_SECRET: RS.secret,
    });
    await createClient(app, {
      clientId: RS.clientId,
      secret: RS.secret,
      canIntrospect: true,
      grantTypes: [],
      allowedResources: [AUDIENCE],
    });
  });
  afterAll(async () => {
    await app.close();
  });

  /** Access tokens by the resource server; refresh tokens only by their own client (R-INT-9). */
  const introspect = async (token: string, by: { clientId: string; secret: string } = RS) =>
    (
      await api()
        .post('/introspect')
        .type('form')
        .set('Authorization', basicAuth(by.clientId, by.secret))
        .send(form({ token }))
        .expect(200)
    ).body as { active: boolean };

  /** Signs the owner in through the pages and redeems the code. */
  async function tokensFor(ua: UserAgent, client: TestClient, owner: { username: string; password: string }) {
    const req = codeRequest(client.clientId, { scope: 'profile notes:read notes:write', resource: AUDIENCE });
    const res = await authorizeThroughPages(ua, req.url, { id: '', ...owner });
    const code = new URL(res.location as string).searchParams.get('code') as string;
    const exchanged = await exchangeCode(app, client, {
      code,
      code_verifier: req.pkce.verifier,
      redirect_uri: REDIRECT_URI,
      resource: AUDIENCE,
    }).expect(200);
    return exchanged.body as { access_token: string; refresh_token: string };
  }

  /** Every row of every table, as text. */
  async function everything(): Promise<string> {
    const ds = app.shared.dataSource;
    const tables = entities.map((e) => ds.getMetadata(e).tableName);
    const rows = await Promise.all(tables.map((t) => ds.query(`SELECT * FROM ${t}`)));
    return JSON.stringify(rows);
  }

  async function person() {
    const created = await admin().post('/admin/owners', PERSON).expect(201);
    return created.body.id as string;
  }

  it('revokes every grant and session, deletes consents and personal fields, keeps the audit trail under a pseudonym', async () => {
    const ownerId = await person();
    const opaque = await createCodeClient(app, {
      scope: 'profile notes:read notes:write',
      allowedResources: [AUDIENCE],
      accessTokenFormat: 'opaque',
      canIntrospect: true,
    });
    const jwt = await createCodeClient(app, {
      scope: 'profile notes:read notes:write',
      allowedResources: [AUDIENCE],
      canIntrospect: true,
    });
    const ua = new UserAgent(app.publicServer);
    const a = await tokensFor(ua, opaque, PERSON);
    const b = await tokensFor(ua, jwt, PERSON);
    // (The opaque token is not shown to the sample API before: it caches active introspection
    // answers for 30 s, which would keep it usable there that long — documented.)
    await api().get('/api/me').set('Authorization', `Bearer ${b.access_token}`).expect(200);
    await api()
      .post('/api/notes')
      .set('Authorization', `Bearer ${b.access_token}`)
      .send({ title: 'my diary' })
      .expect(201);
    const all = () =>
      Promise.all([
        introspect(a.access_token),
        introspect(b.access_token),
        introspect(a.refresh_token, opaque),
        introspect(b.refresh_token, jwt),
      ]);
    expect((await all()).map((r) => r.active)).toEqual([true, true, true, true]);
    expect((await ua.get('/account')).status).toBe(200);

    const erased = await admin().delete(`/admin/owners/${ownerId}`).expect(200);
    expect(erased.body).toEqual({
      pseudonym: expect.stringMatching(/^erased:/),
      grants_revoked: 2,
      consents_deleted: 2,
    });
    const pseudonym = erased.body.pseudonym as string;

    // Access is gone: the sample API refuses the opaque token (introspected), the AS says inactive.
    await api().get('/api/me').set('Authorization', `Bearer ${a.access_token}`).expect(401);
    // A JWT is verified locally until it expires, but there is no one behind it any more.
    await api().get('/api/me').set('Authorization', `Bearer ${b.access_token}`).expect(404);
    const notes = await api().get('/api/notes').set('Authorization', `Bearer ${b.access_token}`).expect(200);
    expect(notes.body.notes).toEqual([]);
    expect((await all()).map((r) => r.active)).toEqual([false, false, false, false]);
    await api()
      .post('/token')
      .type('form')
      .set('Authorization', basicAuth(jwt.clientId, jwt.secret))
      .send(form({ grant_type: 'refresh_token', refresh_token: b.refresh_token }))
      .expect(400);
    // The browser session is dead: the account page asks to sign in again.
    const account = await ua.get('/account');
    expect(account.status).toBe(302);
    expect(account.location).toMatch(/\/login$/);
    await admin().get(`/admin/owners/${ownerId}`).expect(404);
    await admin().delete(`/admin/owners/${ownerId}`).expect(404);

    // No personal data left anywhere in the database.
    const dump = await everything();
    for (const value of [ownerId, PERSON.username, PERSON.email, PERSON.display_name]) {
      expect(dump).not.toContain(value);
    }
    // The audit trail is kept, under the pseudonym, without source addresses.
    const trail = await admin()
      .get(`/admin/audit-events?owner_id=${encodeURIComponent(pseudonym)}&limit=200`)
      .expect(200);
    const types = (trail.body.data as { type: string; source_address: string | null }[]).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'owner.created',
        'login.succeeded',
        'consent.granted',
        'grant.revoked',
        'owner.erased',
      ]),
    );
    expect(
      (trail.body.data as { source_address: string | null }[]).every((e) => e.source_address === null),
    ).toBe(true);
  });

  it('is one transaction: when it fails, nothing is erased', async () => {
    const ownerId = await person().catch(async () => {
      // PERSON exists only once per database: give this case its own username.
      const res = await admin()
        .post('/admin/owners', { ...PERSON, username: 'erin.two' })
        .expect(201);
      return res.body.id as string;
    });
    const writer = app.adminApp.get(AuditWriter);
    const record = writer.record.bind(writer);
    writer.record = async (m, input, now) => {
      await record(m, input, now);
      if (input.type === 'owner.erased') {
        throw new Error('simulated failure');
      }
    };
    try {
      await admin().delete(`/admin/owners/${ownerId}`).expect(500);
    } finally {
      writer.record = record;
    }
    const owner = await admin().get(`/admin/owners/${ownerId}`).expect(200);
    expect(owner.body.email).toBe(PERSON.email);
    const events = await admin().get(`/admin/audit-events?subject=${ownerId}`).expect(200);
    expect(events.body.data.map((e: { type: string }) => e.type)).toEqual(['owner.created']);
  });
});
