import request from 'supertest';
import type { Server } from 'node:http';
import { hashSecret } from '../../src/common/crypto/secret-hash.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../src/store/short-lived-store.js';
import { createClient, form, type TestClient } from './clients.js';
import type { TestApp } from './create-test-app.js';
import type { TestOwner } from './authorize-flow.js';
import { UserAgent, type UaResponse } from './user-agent.js';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const API = 'https://api.example.com';

export interface DeviceAuthorizationBody {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** A public device client (device_code + refresh_token), scope "read write", one resource. */
export function createDeviceClient(app: TestApp, overrides: Parameters<typeof createClient>[1] = {}) {
  return createClient(app, {
    tokenEndpointAuthMethod: 'none',
    clientName: 'Living Room TV',
    grantTypes: [DEVICE_GRANT, 'refresh_token'],
    scope: 'read write',
    allowedResources: [API],
    ...overrides,
  });
}

export async function startDeviceAuthorization(
  server: Server,
  client: TestClient,
  params: Record<string, string | string[]> = {},
): Promise<DeviceAuthorizationBody> {
  const res = await request(server)
    .post('/device_authorization')
    .type('form')
    .send(form({ client_id: client.clientId, ...params }));
  if (res.status !== 200) {
    throw new Error(`device authorization failed: ${res.status} ${res.text}`);
  }
  return res.body as DeviceAuthorizationBody;
}

export function poll(server: Server, client: TestClient, deviceCode: string) {
  return request(server)
    .post('/token')
    .type('form')
    .send(form({ grant_type: DEVICE_GRANT, client_id: client.clientId, device_code: deviceCode }));
}

/** Enters the code on /device, signs in and submits the decision; returns the final page. */
export async function decideOnDevicePage(
  ua: UserAgent,
  userCode: string,
  owner: TestOwner,
  decision: 'allow' | 'deny',
): Promise<{ confirm: UaResponse; done: UaResponse }> {
  const entry = await ua.get('/device');
  let page = await ua.follow(await ua.submit(entry, { user_code: userCode }));
  if (page.text.includes('name="password"')) {
    page = await ua.follow(await ua.submit(page, { username: owner.username, password: owner.password }));
  }
  const confirm = page;
  const done = await ua.submit(confirm, { decision });
  return { confirm, done };
}

/** Moves a device code's expiry into the past, as the passing of DEVICE_CODE_TTL would. */
export async function expireDeviceCode(app: TestApp, deviceCode: string): Promise<void> {
  const store = app.publicApp.get<ShortLivedStore>(SHORT_LIVED_STORE, { strict: false });
  const key = `device:${hashSecret(deviceCode)}`;
  const record = JSON.parse((await store.get(key)) as string) as { expiresAt: number };
  await store.set(key, JSON.stringify({ ...record, expiresAt: Date.now() - 1000 }), 60);
}

/**
 * Many concurrent form POSTs over a pool of keep-alive connections (50 sockets): all requests are
 * in flight together, without opening 1,000 sockets at once (which overflows the listen backlog of
 * a loaded CI machine and shows up as ECONNRESET rather than as an answer).
 */
export async function concurrentPosts(
  url: string,
  count: number,
  body: (i: number) => string,
  headers: (i: number) => Record<string, string> = () => ({}),
): Promise<{ status: number; body: string; headers: import('node:http').IncomingHttpHeaders }[]> {
  const { Agent, request: httpRequest } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  try {
    return await Promise.all(
      Array.from(
        { length: count },
        (_, i) =>
          new Promise<{ status: number; body: string; headers: import('node:http').IncomingHttpHeaders }>(
            (resolve, reject) => {
              const payload = body(i);
              const req = httpRequest(
                url,
                {
                  method: 'POST',
                  agent,
                  headers: {
                    'content-type': 'application/x-www-form-urlencoded',
                    'content-length': Buffer.byteLength(payload),
                    ...headers(i),
                  },
                },
                (res) => {
                  const chunks: Buffer[] = [];
                  res.on('data', (c: Buffer) => chunks.push(c));
                  res.on('end', () =>
                    resolve({
                      status: res.statusCode ?? 0,
                      body: Buffer.concat(chunks).toString(),
                      headers: res.headers,
                    }),
                  );
                  res.on('error', reject);
                },
              );
              req.on('error', reject);
              req.end(payload);
            },
          ),
      ),
    );
  } finally {
    agent.destroy();
  }
}
