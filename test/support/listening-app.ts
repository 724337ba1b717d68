import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from './create-test-app.js';

/** A free TCP port on 127.0.0.1 (released before use; a race with other processes is unlikely). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The test app with its public listener on a real port, ISSUER set to that URL. */
export async function createListeningTestApp(
  env: Record<string, string> = {},
): Promise<{ app: TestApp; issuer: string }> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const app = await createTestApp({ ...env, ISSUER: issuer });
  await app.publicApp.listen(port, '127.0.0.1');
  return { app, issuer };
}
