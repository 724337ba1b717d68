import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { adminRequest } from './admin-request.js';
import type { TestApp } from './create-test-app.js';

export { CHROMIUM, launchChromium } from './chromium.js';

/** On Tessera's login page, then its consent page: signs in and presses Allow, as a person would. */
export async function signInAndAllow(
  page: Page,
  owner: { username: string; password: string },
  consentShows: string[] = [],
): Promise<void> {
  await page.waitForURL(/\/login\?req=/);
  await page.getByLabel('Username').fill(owner.username);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/consent\?req=/);
  const consent = (await page.textContent('body')) ?? '';
  for (const text of consentShows) {
    if (!consent.includes(text)) {
      throw new Error(`the consent page does not show ${text}`);
    }
  }
  await page.getByRole('button', { name: 'Allow' }).click();
}

/** A client registered through the admin API, as the README shows. */
export async function adminClient(
  app: TestApp,
  body: Record<string, unknown>,
): Promise<{ client_id: string; client_secret?: string }> {
  const res = await adminRequest(app).post('/admin/clients', body);
  if (res.status !== 201) {
    throw new Error(`client registration failed: ${res.status} ${res.text}`);
  }
  return res.body as { client_id: string; client_secret?: string };
}

export async function adminOwner(
  app: TestApp,
  username: string,
): Promise<{ username: string; password: string }> {
  const password = 'correct horse battery staple';
  const res = await adminRequest(app).post('/admin/owners', { username, password });
  if (res.status !== 201) {
    throw new Error(`owner creation failed: ${res.status} ${res.text}`);
  }
  return { username, password };
}

/** A plain HTTP server on 127.0.0.1:<free port>, for a client app on another origin. */
export async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; origin: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
