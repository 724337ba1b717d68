import request from 'supertest';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

describe('health and listeners', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers liveness and readiness on both listeners', async () => {
    for (const server of [app.publicServer, app.adminServer]) {
      await request(server).get('/health/live').expect(200, { status: 'ok' });
      const ready = await request(server).get('/health/ready').expect(200);
      expect(ready.body.details).toMatchObject({ database: { status: 'up' }, store: { status: 'up' } });
    }
  });

  it('answers unknown routes with a JSON error, never HTML', async () => {
    const res = await request(app.publicServer).get('/no-such-route').expect(404);
    expect(res.body).toEqual({ error: 'not_found', error_description: 'not found' });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
