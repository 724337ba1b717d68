import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import request from 'supertest';
import { adminRequest } from '../support/admin-request.js';
import { BackchannelLogoutEntity } from '../../src/oidc/backchannel/backchannel-logout.entity.js';
import {
  BackchannelLogoutService,
  MAX_ATTEMPTS,
} from '../../src/oidc/backchannel/backchannel-logout.service.js';
import {
  authorizeThroughPages,
  callbackParams,
  codeRequest,
  createCodeClient,
  createOwner,
  exchangeCode,
  REDIRECT_URI,
  type TestOwner,
} from '../support/authorize-flow.js';
import type { TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { createListeningTestApp } from '../support/listening-app.js';
import { hiddenFields, UserAgent } from '../support/user-agent.js';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** Relying parties' back-channel endpoints: /ok answers 200, /fail 500, /hang never answers. */
function startRps(): Promise<{
  server: Server;
  origin: string;
  received: Map<string, string[]>;
  hanging: ServerResponse[];
}> {
  const received = new Map<string, string[]>();
  const hanging: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      const token = new URLSearchParams(body).get('logout_token') ?? '';
      received.set(path, [...(received.get(path) ?? []), token]);
      if (path === '/hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(path === '/fail' ? 500 : 200).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}`, received, hanging });
    });
  });
}

async function until(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) {
      throw new Error('condition not met in time');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('OpenID Connect back-channel logout', () => {
  let app: TestApp;
  let issuer: string;
  let rps: Awaited<ReturnType<typeof startRps>>;
  let owner: TestOwner;
  let good: TestClient;
  let failing: TestClient;
  let hangingClient: TestClient;
  let quiet: TestClient;

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' }));
    rps = await startRps();
    const withUri = (path: string, sessionRequired = true) =>
      createCodeClient(app, {
        firstParty: true,
        metadata: {
          backchannel_logout_uri: `${rps.origin}${path}`,
          backchannel_logout_session_required: sessionRequired,
        },
      });
    good = await withUri('/ok');
    failing = await withUri('/fail');
    hangingClient = await withUri('/hang');
    quiet = await createCodeClient(app, { firstParty: true });
    owner = await createOwner(app);
  });
  afterAll(async () => {
    for (const res of rps.hanging) {
      res.destroy();
    }
    rps.server.close();
    await app.close();
  });

  const outbox = () => app.shared.dataSource.getRepository(BackchannelLogoutEntity);

  it('R-OIDC-11: signing out POSTs a logout token to every participating client; a failing or hanging client does not delay sign-out', async () => {
    const ua = new UserAgent(app.publicServer);
    let idToken = '';
    for (const client of [good, failing, hangingClient, quiet]) {
      const req = codeRequest(client.clientId);
      const code = callbackParams(await authorizeThroughPages(ua, req.url, owner)).get('code') as string;
      const res = await exchangeCode(app, client, {
        code,
        code_verifier: req.pkce.verifier,
        redirect_uri: REDIRECT_URI,
      }).expect(200);
      if (client === good) {
        idToken = (res.body as { id_token: string }).id_token;
      }
    }
    const sid = decodeJwt(idToken).sid as string;
    expect(typeof sid).toBe('string');

    const started = Date.now();
    const signedOut = await ua.get(`/end-session?id_token_hint=${encodeURIComponent(idToken)}`);
    const elapsed = Date.now() - started;
    expect(signedOut.status).toBe(200);
    expect(signedOut.text).toContain('You are signed out');
    expect(elapsed).toBeLessThan(2000); // the hanging client's 5 s timeout is not waited for

    await until(() => (rps.received.get('/ok')?.length ?? 0) === 1);
    const token = rps.received.get('/ok')![0]!;
    // Back-Channel Logout §2.6 validation, as an RP does it, against /jwks.
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(`${issuer}/jwks`)),
      {
        issuer,
        audience: good.clientId,
        typ: 'logout+jwt',
        requiredClaims: ['iat', 'exp', 'jti'],
      },
    );
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.events).toEqual({ [EVENT]: {} });
    expect(payload.sub).toBe(owner.id);
    expect(payload.sid).toBe(sid);
    expect(payload).not.toHaveProperty('nonce');
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(120);
    // A client without backchannel_logout_uri is not notified; the quiet one has no row.
    const rows = await outbox().find();
    expect(rows.map((r) => r.clientId).sort()).toEqual([failing.clientId, hangingClient.clientId].sort());

    // The failing client was tried and is scheduled for a retry; the hanging one timed out.
    await until(async () => ((await outbox().findOneBy({ clientId: failing.clientId }))?.attempts ?? 0) >= 1);
    const failed = await outbox().findOneByOrFail({ clientId: failing.clientId });
    expect(failed.lastError).toBe('HTTP 500');
    expect(failed.givenUpAt).toBeNull();
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    await until(
      async () => ((await outbox().findOneBy({ clientId: hangingClient.clientId }))?.attempts ?? 0) >= 1,
      15_000,
    );
    expect((await outbox().findOneByOrFail({ clientId: hangingClient.clientId })).lastError).toBe('timeout');
  }, 40_000);

  it('R-OIDC-11, ISSUE16-L13: signing out from /account sends the participating client a logout token for that session', async () => {
    const ua = new UserAgent(app.publicServer);
    const someone = await createOwner(app);
    const req = codeRequest(good.clientId);
    const code = callbackParams(await authorizeThroughPages(ua, req.url, someone)).get('code') as string;
    const res = await exchangeCode(app, good, {
      code,
      code_verifier: req.pkce.verifier,
      redirect_uri: REDIRECT_URI,
    }).expect(200);
    const sid = decodeJwt((res.body as { id_token: string }).id_token).sid as string;
    const before = rps.received.get('/ok')?.length ?? 0;

    const page = await ua.get('/account');
    expect(page.status).toBe(200);
    const out = await ua.post('/account/sign-out', hiddenFields(page.text));
    expect(out.status).toBe(303);

    await until(() => (rps.received.get('/ok')?.length ?? 0) === before + 1);
    const payload = decodeJwt(rps.received.get('/ok')![before]!);
    expect(payload.sid).toBe(sid);
    expect(payload.sub).toBe(someone.id);
  });

  it('R-OIDC-11: a client that keeps failing is retried with backoff, then given up on', async () => {
    const service = app.publicApp.get(BackchannelLogoutService);
    // Stop the background worker (as at shutdown) so only the rounds below deliver.
    await service.onApplicationShutdown();
    const before = rps.received.get('/fail')!.length;
    const attemptsBefore = (await outbox().findOneByOrFail({ clientId: failing.clientId })).attempts;
    for (let round = 0; round < MAX_ATTEMPTS + 1; round++) {
      const row = await outbox().findOneByOrFail({ clientId: failing.clientId });
      if (row.givenUpAt) {
        break;
      }
      // Run the round as if its backoff had elapsed.
      await service.deliverDue(new Date(row.nextAttemptAt.getTime() + 1));
    }
    const row = await outbox().findOneByOrFail({ clientId: failing.clientId });
    expect(row.attempts).toBe(MAX_ATTEMPTS);
    expect(row.givenUpAt).not.toBeNull();
    expect(rps.received.get('/fail')!.length - before).toBe(MAX_ATTEMPTS - attemptsBefore);
    const total = rps.received.get('/fail')!.length;
    // Given up: no further attempt, however late.
    await service.deliverDue(new Date(Date.now() + 86_400_000));
    expect(rps.received.get('/fail')!.length).toBe(total);
  }, 30_000);

  it('R-OIDC-11: admin "log out everywhere" and disabling an owner notify the clients of the owner\'s sessions', async () => {
    const signIn = async (who: TestOwner) => {
      const ua = new UserAgent(app.publicServer);
      const req = codeRequest(good.clientId);
      const code = callbackParams(await authorizeThroughPages(ua, req.url, who)).get('code') as string;
      const res = await exchangeCode(app, good, {
        code,
        code_verifier: req.pkce.verifier,
        redirect_uri: REDIRECT_URI,
      }).expect(200);
      return decodeJwt((res.body as { id_token: string }).id_token).sid as string;
    };
    const received = () => rps.received.get('/ok') ?? [];
    for (const [who, act] of [
      [
        await createOwner(app),
        (id: string) => adminRequest(app).delete(`/admin/grants?owner_id=${id}`).expect(200),
      ],
      [
        await createOwner(app),
        (id: string) => adminRequest(app).patch(`/admin/owners/${id}`, { disabled: true }).expect(200),
      ],
    ] as const) {
      const sid = await signIn(who);
      const before = received().length;
      await act(who.id);
      await until(() => received().length === before + 1);
      const claims = decodeJwt(received().at(-1)!);
      expect(claims).toMatchObject({ sub: who.id, sid, aud: good.clientId, events: { [EVENT]: {} } });
    }
  }, 30_000);

  it('R-OIDC-9, R-OIDC-11: discovery advertises back-channel logout with sid', async () => {
    const res = await request(app.publicServer).get('/.well-known/openid-configuration').expect(200);
    expect(res.body).toMatchObject({
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
    expect(res.body).not.toHaveProperty('frontchannel_logout_supported');
  });
});
