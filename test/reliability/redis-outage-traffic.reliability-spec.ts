import type { ChildProcess } from 'node:child_process';
import {
  authorizeThroughPages,
  codeRequest,
  createCodeClient,
  createOwner,
  obtainCode,
  REDIRECT_URI,
  type TestOwner,
} from '../support/authorize-flow.js';
import { basicAuth, form, type TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { createListeningTestApp, freePort } from '../support/listening-app.js';
import {
  loop,
  outageViolations,
  sleep,
  statusSummary,
  timedFetch,
  type Answer,
} from '../support/outage-traffic.js';
import { hasRedisServer, startRedis, stopRedis } from '../support/redis-server.js';
import { envCount } from '../support/reliability.js';
import { UserAgent } from '../support/user-agent.js';

const WORKERS = envCount('REDIS_OUTAGE_WORKERS', 20);
const STORE_TIMEOUT_MS = 500;
const OUTAGE_MS = 2000;
// While Redis is down: one missed store deadline plus slack for a 2-core machine shared with other
// work (load average up to ~9 seen; unloaded, the slowest answer while down was ~0.3 s).
const OUTAGE_ANSWER_BOUND_MS = STORE_TIMEOUT_MS + 2500;
// Any time, as "no hang": browsers signing in at once queue up on argon2 (a login took up to
// 12 s under that load, before the outage as well as after it).
const ANSWER_BOUND_MS = 20_000;
const RECOVERY_BOUND_MS = 5000;

/** A code a worker got back at its redirect URI, and what every attempt to redeem it answered. */
interface ObtainedCode {
  code: string;
  verifier: string;
  obtainedAt: number;
  statuses: number[];
}

/**
 * Issue 7 item 1 under traffic: a Redis of the test's own killed for 2 s and restarted while 20
 * browsers run whole authorization-code + PKCE flows (/authorize, login, consent, redirect,
 * /token), a machine client takes opaque client_credentials tokens and /health/ready is polled.
 * Every request is answered within a bound, nothing 5xx but 503 temporarily_unavailable, the
 * authorization endpoint sends the outage to the verified redirect URI, readiness is false during
 * and true after, requests succeed again within 5 s of Redis's return without a restart, and no
 * code is ever redeemed twice — also codes obtained before the outage, replayed after it.
 */
(hasRedisServer ? describe : describe.skip)(
  `Redis outage under traffic${hasRedisServer ? '' : ' (skipped: redis-server is not installed)'}`,
  () => {
    let port: number;
    let redis: ChildProcess | undefined;
    let app: TestApp;
    let issuer: string;
    let codeClient: TestClient;
    let machineClient: TestClient;
    let owner: TestOwner;

    beforeAll(async () => {
      port = await freePort();
      redis = await startRedis(port);
      ({ app, issuer } = await createListeningTestApp({
        REDIS_URL: `redis://127.0.0.1:${port}`,
        STORE_TIMEOUT_MS: String(STORE_TIMEOUT_MS),
      }));
      codeClient = await createCodeClient(app, { scope: 'openid read' });
      machineClient = await createCodeClient(app, {
        grantTypes: ['client_credentials'],
        accessTokenFormat: 'opaque',
        scope: 'read',
      });
      owner = await createOwner(app);
    }, 60_000);
    afterAll(async () => {
      await app?.close().catch(() => undefined);
      await stopRedis(redis);
    }, 30_000);

    const redeem = (obtained: ObtainedCode, kind = 'code redemption') =>
      timedFetch(
        kind,
        `${issuer}/token`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: basicAuth(codeClient.clientId, codeClient.secret),
          },
          body: form({
            grant_type: 'authorization_code',
            code: obtained.code,
            code_verifier: obtained.verifier,
            redirect_uri: REDIRECT_URI,
          }),
        },
        ANSWER_BOUND_MS * 2,
      ).then((answer) => {
        obtained.statuses.push(answer.status);
        return answer;
      });
    // Opaque access tokens are written to the short-lived store, so this request needs Redis.
    const clientCredentials = () =>
      timedFetch(
        'client_credentials',
        `${issuer}/token`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: basicAuth(machineClient.clientId, machineClient.secret),
          },
          body: form({ grant_type: 'client_credentials', scope: 'read' }),
        },
        ANSWER_BOUND_MS * 2,
      );
    const ready = () => timedFetch('ready', `${issuer}/health/ready`, {}, ANSWER_BOUND_MS * 2);

    /**
     * A browser running whole flows until `done()`, signing in again whenever its session is gone
     * (a restarted Redis is empty); each code is redeemed once at once, as a client would.
     */
    async function browse(answers: Answer[], codes: ObtainedCode[], done: () => boolean): Promise<void> {
      const ua = new UserAgent(app.publicServer, { origin: issuer, timeoutMs: ANSWER_BOUND_MS * 2, answers });
      while (!done()) {
        const request = codeRequest(codeClient.clientId);
        const final = await authorizeThroughPages(ua, request.url, owner).catch(() => undefined);
        const location = final?.location ?? '';
        const code = location.startsWith(REDIRECT_URI) ? new URL(location).searchParams.get('code') : null;
        if (code === null) {
          await sleep(50); // an error redirect or page: start over
          continue;
        }
        const obtained = { code, verifier: request.pkce.verifier, obtainedAt: Date.now(), statuses: [] };
        codes.push(obtained);
        answers.push(await redeem(obtained));
      }
    }

    it('R-CODE-4: 503 temporarily_unavailable in bounded time under 20 browsers, not ready, back within 5 s, no code redeemed twice', async () => {
      // Codes obtained before the outage and not redeemed: replayed once Redis is back.
      const kept: ObtainedCode[] = [];
      for (let i = 0; i < 3; i++) {
        const { code, verifier } = await obtainCode(app, codeClient, owner);
        kept.push({ code, verifier, obtainedAt: Date.now(), statuses: [] });
      }
      const answers: Answer[] = [];
      const readiness: Answer[] = [];
      const codes: ObtainedCode[] = [];
      let stopping = false;
      const done = () => stopping;
      const traffic = Promise.all([
        // Started 50 ms apart, as browsers arrive, rather than 20 argon2 logins at the same instant.
        ...Array.from({ length: WORKERS }, (_, i) => sleep(50 * i).then(() => browse(answers, codes, done))),
        loop(clientCredentials, answers, done, 20),
        loop(ready, readiness, done, 100),
      ]);

      await sleep(2500);
      const killedAt = Date.now();
      await stopRedis(redis);
      await sleep(OUTAGE_MS);
      const restartAt = Date.now();
      redis = await startRedis(port);
      const upAt = Date.now();
      const after = (kind: string) =>
        answers.find((a) => a.kind === kind && a.status === 200 && a.startedAt >= upAt);
      while (
        Date.now() - upAt < RECOVERY_BOUND_MS * 2 &&
        !(after('client_credentials') && after('code redemption'))
      ) {
        await sleep(20);
      }
      await sleep(1500); // traffic on the recovered store
      stopping = true;
      await traffic;

      // Every code a browser got, redeemed once more after recovery, two at a time; and the kept ones.
      const replays = await Promise.all(
        [...codes, ...codes, ...kept].map((obtained) => redeem(obtained, 'replay')),
      );
      const doubles = [...codes, ...kept].filter((c) => c.statuses.filter((s) => s === 200).length > 1);

      const endOf = (a: Answer | undefined) => (a ? a.startedAt + a.ms - upAt : Number.NaN);
      const tokenBackIn = endOf(after('client_credentials'));
      const flowBackIn = endOf(after('code redemption'));
      const all = [...answers, ...replays];
      const fiveHundreds = all.filter((a) => a.status >= 500);
      const unavailable = fiveHundreds.filter((a) => a.status === 503).length;
      const during = (a: Answer) => a.startedAt >= killedAt && a.startedAt < restartAt;
      const slowest = (list: Answer[]) =>
        list.reduce((a, b) => (b.ms > a.ms ? b : a), { kind: 'none', ms: 0 } as Answer);
      const slowestAll = slowest(all);
      const slowestDown = slowest(answers.filter(during));
      process.stderr.write(
        `[reliability] redis outage under traffic: ${WORKERS} browsers, ${all.length} requests, ${unavailable} 503, ` +
          `${fiveHundreds.length - unavailable} other 5xx, slowest answer ${slowestAll.ms} ms (${slowestAll.kind} ${slowestAll.status}), ` +
          `slowest while down ${slowestDown.ms} ms (${slowestDown.kind} ${slowestDown.status}), Redis down ${restartAt - killedAt} ms ` +
          `(its start ${upAt - restartAt} ms), opaque token again ${tokenBackIn} ms and a whole flow's code redeemed ` +
          `${flowBackIn} ms after it was up, ${codes.length} codes obtained, ${codes.filter((c) => c.statuses[0] === 200).length} redeemed at once, ` +
          `${doubles.length} redeemed twice (${statusSummary([...all, ...readiness])})\n`,
      );

      expect(outageViolations(all, ANSWER_BOUND_MS)).toEqual([]);
      expect(outageViolations(answers.filter(during), OUTAGE_ANSWER_BOUND_MS)).toEqual([]);
      expect(readiness.filter((r) => ![200, 503].includes(r.status) || r.ms >= ANSWER_BOUND_MS)).toEqual([]);
      expect(doubles.map((c) => c.statuses)).toEqual([]);
      // A restarted Redis is empty: codes obtained before the outage are gone, never redeemable.
      expect(kept.map((c) => c.statuses)).toEqual(kept.map(() => [400]));
      expect(unavailable).toBeGreaterThan(0); // the outage was seen by the traffic
      // /authorize, past the redirect URI check, sends the outage back to the client.
      const redirectedError = (a: Answer) =>
        a.location !== null &&
        new URL(a.location, issuer).searchParams.get('error') === 'temporarily_unavailable';
      expect(answers.some((a) => a.kind === 'GET /authorize' && redirectedError(a))).toBe(true);
      expect(readiness.some((r) => r.status === 503 && during(r))).toBe(true);
      expect(readiness.at(-1)?.status).toBe(200);
      expect(tokenBackIn).toBeLessThan(RECOVERY_BOUND_MS);
      expect(flowBackIn).toBeLessThan(RECOVERY_BOUND_MS);
    }, 120_000);
  },
);
