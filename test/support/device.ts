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
