import request from 'supertest';
import { basicAuth, createClient, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { dpopKey, dpopProof, type DpopKey } from '../support/dpop-proofs.js';
import { startSecondInstance } from '../support/second-instance.js';

const ISSUER = 'http://127.0.0.1:3000';

/**
 * R-DPOP-4: one proof is accepted once, across instances. With REDIS_URL the two instances have
 * their own Redis connections on one key prefix (the production topology); without it they share
 * the in-process store.
 */
describe('DPoP proof replay across instances (RFC 9449 §11.1)', () => {
  let app: TestApp;
  let second: Awaited<ReturnType<typeof startSecondInstance>>;
  let confidential: TestClient;
  let key: DpopKey;

  beforeAll(async () => {
    app = await createTestApp();
    second = await startSecondInstance(app);
    confidential = await createClient(app);
    key = await dpopKey();
  });
  afterAll(async () => {
    await second.close();
    await app.close();
  });

  const tokenRequest = (server: import('node:http').Server, proof: string) =>
    request(server)
      .post('/token')
      .set('Authorization', basicAuth(confidential.clientId, confidential.secret))
      .set('DPoP', proof)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'read' });

  it('R-DPOP-4: one proof sent to two instances at once: exactly one success', async () => {
    const proof = await dpopProof(key, 'POST', `${ISSUER}/token`);
    const answers = await Promise.all([
      tokenRequest(app.publicServer, proof),
      tokenRequest(second.server, proof),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 400]);
    expect(answers.find((a) => a.status === 400)?.body.error).toBe('invalid_dpop_proof');
  });

  it('R-DPOP-4: 1,000 concurrent replays of one proof over both instances: one success', async () => {
    const proof = await dpopProof(key, 'POST', `${ISSUER}/token`);
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        tokenRequest(i % 2 === 0 ? app.publicServer : second.server, proof),
      ),
    );
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0]?.body.token_type).toBe('DPoP');
    const refused = answers.filter((a) => a.status === 400 && a.body.error === 'invalid_dpop_proof');
    expect(refused).toHaveLength(999);
  }, 120_000);
});
