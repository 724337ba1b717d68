import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditRetentionService } from '../../src/audit/audit-retention.service.js';
import { AuditWriter } from '../../src/audit/audit-writer.js';
import { WebhookEndpointsService } from '../../src/webhooks/webhook-endpoints.service.js';
import { verifyWebhook } from '../../src/webhooks/webhook-signer.js';
import { adminRequest } from '../support/admin-request.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { startInstancesSharingDatabase } from '../support/shared-database-apps.js';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string; subject: { type: string; id: string }; data: Record<string, unknown> };
}

/** A webhook receiver on 127.0.0.1: records every request; `answer` decides the status. */
async function receiver(answer: (r: Received, n: number) => number | 'hang' = () => 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) as Received['body'] };
      received.push(r);
      const status = answer(r, received.filter((x) => x.body.id === r.body.id).length);
      if (status !== 'hang') {
        res.writeHead(status).end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function until<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('webhooks: signed delivery of audit events from the outbox', () => {
  let app: TestApp;
  const admin = () => adminRequest(app);
  const receivers: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    app = await createTestApp({
      OUTBOUND_ALLOW_PRIVATE: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_RETRY_MAX_DELAY: '1',
      WEBHOOK_MAX_ATTEMPTS: '4',
    });
  });
  afterAll(async () => {
    await app.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function endpoint(url: string, eventTypes: string[]): Promise<{ id: string; secret: string }> {
    const res = await admin().post('/admin/webhooks', { url, event_types: eventTypes }).expect(201);
    return { id: res.body.id as string, secret: res.body.secret as string };
  }
  const createClient = async (name: string) =>
    (
      await admin()
        .post('/admin/clients', { client_name: name, redirect_uris: ['https://app.example.com/cb'] })
        .expect(201)
    ).body.client_id as string;

  it('delivers subscribed events, signed (HMAC-SHA256 over timestamp and body); the secret is shown once and stored encrypted', async () => {
    const rx = await receiver();
    receivers.push(rx);
    const ep = await endpoint(`${rx.url}/hook?x=1`, ['client.created']);
    expect(ep.secret).toMatch(/^whsec_/);
    const shown = await admin().get(`/admin/webhooks/${ep.id}`).expect(200);
    expect(shown.body.secret).toBeUndefined();
    expect(shown.body.event_types).toEqual(['client.created']);
    const stored = JSON.stringify(await app.shared.dataSource.query('SELECT * FROM webhook_endpoints'));
    expect(stored).not.toContain(ep.secret.slice(6));

    const clientId = await createClient('Hooked');
    await admin()
      .post('/admin/owners', { username: 'not.subscribed', password: 'a password 12345' })
      .expect(201);
    const got = await until(() => rx.received.find((r) => r.body.subject.id === clientId), 'the delivery');
    expect(got.path).toBe('/hook?x=1');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.body).toMatchObject({
      type: 'client.created',
      actor: { type: 'admin' },
      data: { client_name: 'Hooked' },
    });
    expect(got.headers['tessera-event-id']).toBe(got.body.id);
    expect(got.headers['tessera-event-type']).toBe('client.created');
    const signature = got.headers['tessera-signature'] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(ep.secret, got.raw, signature)).toBe(true);
    expect(verifyWebhook('whsec_wrong', got.raw, signature)).toBe(false);
    expect(verifyWebhook(ep.secret, got.raw.replace('Hooked', 'Hacked'), signature)).toBe(false);

    const deliveries = await until(async () => {
      const res = await admin().get(`/admin/webhooks/${ep.id}/deliveries`).expect(200);
      return res.body[0]?.status === 'delivered' ? res.body : null;
    }, 'the delivered status');
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ attempts: 1, last_error: null });
    expect(rx.received.every((r) => r.body.type === 'client.created')).toBe(true);
  });

  it('retries after 500s with backoff until the receiver accepts (at least once, same event id)', async () => {
    const rx = await receiver((_r, n) => (n <= 2 ? 500 : 200));
    receivers.push(rx);
    const ep = await endpoint(rx.url, ['client.created']);
    const clientId = await createClient('Retried');
    const deliveries = await until(async () => {
      const res = await admin().get(`/admin/webhooks/${ep.id}/deliveries`).expect(200);
      return res.body[0]?.status === 'delivered' ? res.body : null;
    }, 'the delivery after retries');
    expect(deliveries[0]).toMatchObject({ attempts: 3 });
    const attempts = rx.received.filter((r) => r.body.subject.id === clientId);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.body.id)).size).toBe(1);
  });

  it('keeps the order of one subject while its first event is retried, without holding other subjects back; gives up after WEBHOOK_MAX_ATTEMPTS', async () => {
    let failFirst = true;
    const rx = await receiver((r) =>
      failFirst && r.body.type === 'client.created' && r.body.data.client_name === 'Slow' ? 500 : 200,
    );
    receivers.push(rx);
    await endpoint(rx.url, ['*']);
    const slow = await createClient('Slow');
    await admin().patch(`/admin/clients/${slow}`, { client_name: 'Slow 2' }).expect(200);
    await admin().patch(`/admin/clients/${slow}`, { client_name: 'Slow 3' }).expect(200);
    const fast = await createClient('Fast');
    await until(() => rx.received.some((r) => r.body.subject.id === fast), 'the other subject');
    // The slow subject's later events wait behind its failing first one.
    expect(rx.received.filter((r) => r.body.subject.id === slow && r.body.type !== 'client.created')).toEqual(
      [],
    );
    failFirst = false;
    await until(
      () =>
        rx.received.filter((r) => r.body.subject.id === slow && r.body.type === 'client.updated').length ===
        2,
      'the slow subject to drain',
    );
    const order = rx.received
      .filter((r) => r.body.subject.id === slow)
      .map((r) => `${r.body.type}:${(r.body.data.changed as string[] | undefined)?.join(',') ?? ''}`);
    const firstSuccess = order.lastIndexOf('client.created:');
    expect(order.slice(firstSuccess)).toEqual([
      'client.created:',
      'client.updated:clientName',
      'client.updated:clientName',
    ]);

    // An endpoint that always fails: dead after 4 attempts, then the subject's next event goes.
    const dead = await receiver((r) => (r.body.type === 'client.created' ? 500 : 200));
    receivers.push(dead);
    const ep = await endpoint(dead.url, ['client.created', 'client.deleted']);
    const doomed = await createClient('Doomed');
    await admin().delete(`/admin/clients/${doomed}`).expect(204);
    await until(
      () => dead.received.some((r) => r.body.type === 'client.deleted'),
      'the next event after the dead one',
    );
    expect(dead.received.filter((r) => r.body.type === 'client.created')).toHaveLength(4);
    const res = await admin().get(`/admin/webhooks/${ep.id}/deliveries`).expect(200);
    expect(
      res.body.map((d: { status: string; last_error: string | null }) => [d.status, d.last_error]),
    ).toEqual([
      ['delivered', null],
      ['dead', 'HTTP 500'],
    ]);
  });

  it('a receiver that never answers does not hold up the request that produced the event', async () => {
    const rx = await receiver(() => 'hang');
    receivers.push(rx);
    const ep = await endpoint(rx.url, ['client.created']);
    const clientId = await createClient('Hung');
    // The admin call above has already answered; the delivery is still open at the receiver.
    await until(() => rx.received.some((r) => r.body.subject.id === clientId), 'the hanging delivery');
    const res = await admin().get(`/admin/webhooks/${ep.id}/deliveries`).expect(200);
    expect(res.body[0]).toMatchObject({ status: 'pending', finished_at: null });
    await admin().delete(`/admin/webhooks/${ep.id}`).expect(204);
  });

  it('retention: purges events older than AUDIT_RETENTION_DAYS in bounded batches, never one still being delivered', async () => {
    const ds = app.shared.dataSource;
    const pg = ds.options.type === 'postgres';
    const count = async () => Number((await ds.query('SELECT COUNT(*) AS n FROM audit_events'))[0].n);
    const pendingEvents = async () =>
      Number(
        (
          await ds.query(
            "SELECT COUNT(DISTINCT event_seq) AS n FROM webhook_deliveries WHERE status = 'pending'",
          )
        )[0].n,
      );
    // Earlier endpoints go (with their queues), so nothing changes under the purge.
    for (const e of (await admin().get('/admin/webhooks').expect(200)).body as { id: string }[]) {
      await admin().delete(`/admin/webhooks/${e.id}`).expect(204);
    }
    expect(await pendingEvents()).toBe(0);
    // A delivery queued before its endpoint was disabled stays pending however old its event gets.
    const paused = await admin()
      .post('/admin/webhooks', { url: 'https://hooks.example.com/x', event_types: ['*'], disabled: true })
      .expect(201);
    const waiting = await admin()
      .post('/admin/owners', { username: 'retained', password: 'a password 12345' })
      .expect(201);
    const [event] = await ds.query(`SELECT seq FROM audit_events WHERE subject_id = ${pg ? '$1' : '?'}`, [
      waiting.body.id,
    ]);
    await ds.query(
      `INSERT INTO webhook_deliveries (endpoint_id, event_seq, subject_key, status, attempts, next_attempt_at, created_at)
       VALUES (${pg ? '$1, $2' : '?, ?'}, 'owner:x', 'pending', 0, 0, 0)`,
      [paused.body.id, event.seq],
    );
    expect(await pendingEvents()).toBe(1);
    const before = await count();
    const old = Date.now() - 400 * 86_400_000;
    await ds.query(`UPDATE audit_events SET occurred_at = ${pg ? '$1' : '?'}`, [old]);
    // 2 500 more old events: the purge deletes them 1000 rows a statement.
    for (let batch = 0; batch < 5; batch++) {
      const values = Array.from({ length: 500 }, (_, i) => {
        const p = (k: number) => (pg ? `$${i * 2 + k}` : '?');
        return `(${p(1)}, 'login.failed', ${old}, 'anonymous', NULL, 'username', ${p(2)}, NULL, NULL, '{}')`;
      });
      const params = Array.from({ length: 500 }, (_, i) => [`bulk-${batch}-${i}`, `u${i}`]).flat();
      await ds.query(
        `INSERT INTO audit_events (event_id, type, occurred_at, actor_type, actor_id, subject_type, subject_id, owner_id, source_address, data) VALUES ${values.join(', ')}`,
        params,
      );
    }
    // A recent event stays.
    await app.adminApp
      .get(AuditWriter)
      .recordAlone({ type: 'login.failed', subject: { type: 'username', id: 'recent' } });
    const result = await app.adminApp.get(AuditRetentionService).purge();
    expect(result.events).toBe(before + 2500 - 1);
    expect(await count()).toBe(2);
    const kept = await admin().get('/admin/audit-events?limit=10').expect(200);
    expect(kept.body.data.map((e: { subject: { id: string } }) => e.subject.id)).toEqual([
      'recent',
      waiting.body.id as string,
    ]);
    await admin()
      .delete(`/admin/webhooks/${paused.body.id as string}`)
      .expect(204);
  });
});

describe('webhooks: SSRF rules at registration (OUTBOUND_ALLOW_PRIVATE unset)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses http, loopback, private and localhost receivers with 400 invalid_request', async () => {
    for (const url of [
      'http://hooks.example.com/x',
      'https://127.0.0.1:8443/x',
      'https://10.1.2.3/x',
      'https://[::1]/x',
      'https://localhost/x',
      'https://169.254.169.254/latest',
    ]) {
      const res = await adminRequest(app).post('/admin/webhooks', { url, event_types: ['*'] });
      expect([url, res.status, res.body.error]).toEqual([url, 400, 'invalid_request']);
    }
    await adminRequest(app)
      .post('/admin/webhooks', { url: 'https://hooks.example.com/x', event_types: ['not.a.type'] })
      .expect(400);
    const ok = await adminRequest(app)
      .post('/admin/webhooks', { url: 'https://hooks.example.com/x', event_types: ['*'] })
      .expect(201);
    await adminRequest(app)
      .patch(`/admin/webhooks/${ok.body.id}`, { url: 'https://127.0.0.1/x' })
      .expect(400);
  });
});

describe('webhooks: three instances on one database (LISTENERS=public, each running a dispatcher)', () => {
  it('deliver every event exactly once when receivers answer, in order per subject', async () => {
    const rx = await receiver();
    const cluster = await startInstancesSharingDatabase(3, {
      LISTENERS: 'public',
      OUTBOUND_ALLOW_PRIVATE: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '20',
    });
    try {
      const [a] = cluster.instances;
      await a?.publicApp
        .get(WebhookEndpointsService, { strict: false })
        .create({ url: rx.url, eventTypes: ['*'] });
      const writers = cluster.instances.map((i) => i.publicApp.get(AuditWriter, { strict: false }));
      const total = 60;
      for (let n = 0; n < total; n++) {
        await writers[n % writers.length]?.recordAlone({
          type: 'client.updated',
          subject: { type: 'client', id: `subject-${n % 6}` },
          data: { n },
        });
      }
      // (The endpoint's own webhook.endpoint_created event is delivered too: '*'.)
      const updates = () => rx.received.filter((r) => r.body.type === 'client.updated');
      await until(() => new Set(updates().map((r) => r.body.id)).size === total, 'every event', 30_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(updates().length).toBe(total);
      expect(rx.received.length).toBe(total + 1);
      for (let s = 0; s < 6; s++) {
        const ns = rx.received.filter((r) => r.body.subject.id === `subject-${s}`).map((r) => r.body.data.n);
        expect(ns).toEqual([...ns].sort((x, y) => Number(x) - Number(y)));
        expect(ns).toHaveLength(10);
      }
    } finally {
      await cluster.close();
      await rx.close();
    }
  });
});
