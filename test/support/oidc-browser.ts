import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';

export { CHROMIUM, launchChromium } from './chromium.js';

/** A relying party's web server: answers 200 to every path and records what reached it. */
export function startRpServer(): Promise<{ server: Server; origin: string; hits: URL[] }> {
  const hits: URL[] = [];
  const server = createServer((req, res) => {
    hits.push(new URL(req.url ?? '/', 'http://127.0.0.1'));
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('relying party reached');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}`, hits });
    });
  });
}

/** The AS pages a navigation went through (login, consent, end-session), in order. */
export function trackPages(page: Page): string[] {
  const seen: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) {
      seen.push(new URL(frame.url()).pathname);
    }
  });
  return seen;
}

/**
 * Runs an authorization in the page: signs in when the login page shows (with the given
 * credentials), approves when the consent page shows; returns the RP URL it lands on.
 */
export async function authorizeInBrowser(
  page: Page,
  url: URL,
  landing: string,
  owner: { username: string; password: string },
): Promise<URL> {
  await page.goto(url.toString());
  const arrived = (u: URL) => u.toString().startsWith(landing);
  for (let step = 0; step < 3 && !arrived(new URL(page.url())); step++) {
    const before = page.url();
    const path = new URL(before).pathname;
    if (path === '/login') {
      await page.getByLabel('Username').fill(owner.username);
      await page.getByLabel('Password').fill(owner.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    } else if (path === '/consent') {
      await page.getByRole('button', { name: 'Allow' }).click();
    } else {
      throw new Error(`unexpected page ${page.url()}: ${await page.textContent('body')}`);
    }
    await page.waitForURL((u) => u.toString() !== before);
  }
  return new URL(page.url());
}
