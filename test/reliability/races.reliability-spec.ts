import { randomBytes } from 'node:crypto';
import { AuthorizationCodeStore } from '../../src/tokens/codes/authorization-code.store.js';
import { createCodeClient, createOwner, pkce, REDIRECT_URI } from '../support/authorize-flow.js';
import { basicAuth, type TestClient } from '../support/clients.js';
import type { TestApp } from '../support/create-test-app.js';
import { createListeningTestApp } from '../support/listening-app.js';
import { issueFamily } from '../support/refresh-tokens.js';
import { envCount, inBatches, postForm } from '../support/reliability.js';

/**
 * Issue 7 item 3: concurrent double redemptions over real HTTP. Codes and refresh-token families
 * are minted through the services (setup, no argon2 login per code); both requests of a pair are
 * sent at the same instant and at most one may succeed. RELIABILITY_RACES sets the pair count.
 */
const PAIRS = envCount('RELIABILITY_RACES', 1000);
const CONCURRENCY = envCount('RELIABILITY_RACE_CONCURRENCY', 32);

describe(`races at scale (${PAIRS} pairs each)`, () => {
  let app: TestApp;
  let issuer: string;
  let client: TestClient;
  let ownerId: string;

  beforeAll(async () => {
    ({ app, issuer } = await createListeningTestApp());
    client = await createCodeClient(app, { firstParty: true, allowedResources: ['https://api.example.com'] });
    ownerId = (await createOwner(app)).id;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const token = (body: Record<string, string>) =>
    postForm(`${issuer}/token`, body, { authorization: basicAuth(client.clientId, client.secret) });

  it('R-CODE-4: concurrent double redemptions of one authorization code never both succeed', async () => {
    const codes = app.publicApp.get(AuthorizationCodeStore, { strict: false });
    const started = Date.now();
    const outcomes = await inBatches(PAIRS, CONCURRENCY, async () => {
      const p = pkce();
      const code = await codes.issue({
        clientId: client.clientId,
        redirectUri: REDIRECT_URI,
        codeChallenge: p.challenge,
        codeChallengeMethod: 'S256',
        scope: 'openid read',
        resources: ['https://api.example.com'],
        ownerId,
        authTime: Math.floor(Date.now() / 1000),
        consentGrantId: null,
        codeId: randomBytes(16).toString('hex'),
      });
      const body = {
        grant_type: 'authorization_code',
        code,
        code_verifier: p.verifier,
        redirect_uri: REDIRECT_URI,
      };
      const pair = await Promise.all([token(body), token(body)]);
      return pair.map((r) => r.status);
    });
    const statuses = outcomes.flat();
    const doubles = outcomes.filter((pair) => pair.every((s) => s === 200)).length;
    const wins = outcomes.filter((pair) => pair.some((s) => s === 200)).length;
    process.stderr.write(
      `[reliability] code races: ${PAIRS} pairs, ${statuses.length} requests, ${wins} single wins, ${doubles} doubles, ${Date.now() - started} ms\n`,
    );
    expect(doubles).toBe(0);
    // Exactly one redemption of each pair wins; the other is invalid_grant, never a 5xx.
    expect(wins).toBe(PAIRS);
    expect(statuses.filter((s) => s !== 200 && s !== 400)).toEqual([]);
  }, 240_000);

  it('R-RT-8: concurrent double uses of one refresh token never both succeed, and the family dies', async () => {
    const started = Date.now();
    const outcomes = await inBatches(PAIRS, CONCURRENCY, async () => {
      const family = await issueFamily(app, client.client, { ownerId, scope: 'openid read' });
      const body = { grant_type: 'refresh_token', refresh_token: family.token };
      const pair = await Promise.all([token(body), token(body)]);
      const winner = pair.find((r) => r.status === 200);
      // The loser is a reuse (R-RT-9: no grace window), so the winner's new token is dead too.
      const after = winner
        ? await token({ grant_type: 'refresh_token', refresh_token: winner.body.refresh_token as string })
        : null;
      return { statuses: pair.map((r) => r.status), after: after?.status ?? null };
    });
    const statuses = outcomes.flatMap((o) => o.statuses);
    const doubles = outcomes.filter((o) => o.statuses.every((s) => s === 200)).length;
    const wins = outcomes.filter((o) => o.statuses.includes(200)).length;
    process.stderr.write(
      `[reliability] refresh races: ${PAIRS} pairs, ${statuses.length + wins} requests, ${wins} single wins, ${doubles} doubles, ${Date.now() - started} ms\n`,
    );
    expect(doubles).toBe(0);
    expect(wins).toBe(PAIRS);
    expect(statuses.filter((s) => s !== 200 && s !== 400)).toEqual([]);
    expect(outcomes.filter((o) => o.after !== 400)).toEqual([]);
  }, 240_000);
});
