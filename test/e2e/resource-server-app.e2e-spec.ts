import { createServer } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ReportsAppModule } from '../resource-server-app/app.module.js';
import { parseBearerChallenge } from '../support/bearer-challenge.js';
import { basicAuth, createClient, form, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

const REPORTS = 'https://reports.example.test';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('a separate NestJS service protected by a running Tessera', () => {
  let tessera: TestApp;
  let issuer: string;
  let reports: NestFastifyApplication;
  let reportsUrl: string;
  let client: TestClient;

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    tessera = await createTestApp({ ISSUER: issuer });
    await tessera.publicApp.listen(port, '127.0.0.1');
    client = await createClient(tessera, {
      scope: 'reports:read reports:list notes:read',
      allowedResources: [REPORTS],
    });
    // The whole integration: issuer + audience; keys found through Tessera's RFC 8414 metadata.
    const module = ReportsAppModule.register({ issuer, audience: REPORTS });
    reports = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), {
      logger: false,
    });
    await reports.listen(0, '127.0.0.1');
    reportsUrl = (await reports.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await reports?.close();
    await tessera?.close();
  });

  const token = async (scope: string, resource = REPORTS): Promise<string> => {
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(client.clientId, client.secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ grant_type: 'client_credentials', scope, resource }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const get = (path: string, accessToken?: string) =>
    fetch(`${reportsUrl}${path}`, { headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {} });

  it('R-RS-1/R-RS-3: a Tessera token for this audience opens the route; its sub reaches the handler', async () => {
    const res = await get('/reports', await token('reports:read'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: client.clientId, reports: ['q3'] });
  });

  it('R-RS-8/R-RS-13: routes are protected by default; the challenge names the metadata', async () => {
    const res = await get('/reports');
    expect(res.status).toBe(401);
    expect(parseBearerChallenge(res.headers.get('www-authenticate'))).toEqual({
      realm: REPORTS,
      resource_metadata: `${REPORTS}/.well-known/oauth-protected-resource`,
    });
    expect((await get('/reports/status')).status).toBe(200);
  });

  it('R-RS-10: a token without reports:read → 403 insufficient_scope', async () => {
    // (notes:read belongs to the registered sample API: a token for REPORTS cannot carry it.)
    const res = await get('/reports', await token('reports:list'));
    expect(res.status).toBe(403);
    expect(parseBearerChallenge(res.headers.get('www-authenticate')).scope).toBe('reports:read');
  });

  it('R-AT-10/R-RS-3: a token minted for the sample API is refused here', async () => {
    const other = await createClient(tessera, { scope: 'notes:read', allowedResources: [`${issuer}/api`] });
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(other.clientId, other.secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ grant_type: 'client_credentials', scope: 'notes:read', resource: `${issuer}/api` }),
    });
    const { access_token: accessToken } = (await res.json()) as { access_token: string };
    expect(
      (await fetch(`${issuer}/api/notes`, { headers: { authorization: `Bearer ${accessToken}` } })).status,
    ).toBe(200);
    const refused = await get('/reports', accessToken);
    expect(refused.status).toBe(401);
    expect(parseBearerChallenge(refused.headers.get('www-authenticate')).error).toBe('invalid_token');
  });

  it('R-RS-12: serves its RFC 9728 metadata', async () => {
    const res = await get('/.well-known/oauth-protected-resource');
    expect(await res.json()).toEqual({
      resource: REPORTS,
      authorization_servers: [issuer],
      bearer_methods_supported: ['header'],
    });
  });
});
