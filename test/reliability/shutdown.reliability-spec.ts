import { connect, type AddressInfo, type Socket } from 'node:net';
import { createShutdown } from '../../src/app/graceful-shutdown.js';
import { basicAuth, createClient, form } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { usingRedis } from '../support/test-env.js';

/** Opens a connection and sends the head and the first half of a POST /token body. */
async function startSlowRequest(
  port: number,
  body: string,
  authorization: string,
): Promise<{
  socket: Socket;
  finish(): void;
  answer: Promise<string>;
}> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  // Resolves once a whole response arrived (the connection is keep-alive, as a proxy's would be).
  const answer = new Promise<string>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const length = /content-length: (\d+)/i.exec(text);
      const bodyStart = text.indexOf('\r\n\r\n');
      if (length && bodyStart >= 0 && text.length - bodyStart - 4 >= Number(length[1])) {
        resolve(text);
      }
    });
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
  const half = Math.floor(body.length / 2);
  socket.write(
    `POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n` +
      body.slice(0, half),
  );
  return { socket, finish: () => socket.write(body.slice(half)), answer };
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue 7 item 6: the SIGTERM path of main.ts (createShutdown) on the real apps, with a request
 * still being received when the signal arrives.
 */
describe('graceful shutdown', () => {
  const boot = async (timeout: string) => {
    const app = await createTestApp({ SHUTDOWN_TIMEOUT: timeout });
    await app.publicApp.listen(0, '127.0.0.1');
    const port = (app.publicServer.address() as AddressInfo).port;
    const client = await createClient(app);
    const exits: { code: number; at: number }[] = [];
    const shutdown = createShutdown({
      apps: [app.publicApp, app.adminApp],
      shared: app.shared,
      timeoutSeconds: Number(timeout),
      exit: (code) => exits.push({ code, at: Date.now() }),
    });
    return { app, port, client, exits, shutdown };
  };
  const closeQuietly = async (app: TestApp) => {
    await app.close().catch(() => undefined);
  };

  it('R-SEC: SIGTERM stops accepting, drains the in-flight request, closes the stores and exits 0', async () => {
    const { app, port, client, exits, shutdown } = await boot('10');
    try {
      const slow = await startSlowRequest(
        port,
        form({ grant_type: 'client_credentials', scope: 'read' }),
        basicAuth(client.clientId, client.secret),
      );
      await wait(100);
      const started = Date.now();
      const done = shutdown('SIGTERM');
      void shutdown('SIGINT'); // a second signal does not start a second shutdown
      await wait(300);
      expect(await refused(port)).toBe(true); // no longer accepting
      expect(exits).toEqual([]); // still draining
      slow.finish();
      const answer = await slow.answer;
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(answer).toContain('"access_token"');
      // The keep-alive connection, idle now, must not hold the shutdown until the timeout.
      const closed = new Promise((resolve) => slow.socket.once('close', resolve));
      await done;
      await closed;
      expect(exits.map((e) => e.code)).toEqual([0]);
      expect((exits[0]?.at ?? Infinity) - started).toBeLessThan(10_000);
      expect(app.shared.dataSource.isInitialized).toBe(false);
      if (usingRedis()) {
        await expect(app.shared.store.get('anything')).rejects.toThrow(); // Redis connection closed
      }
    } finally {
      await closeQuietly(app);
    }
  }, 60_000);

  it('R-SEC: a request that never completes does not hold the process beyond SHUTDOWN_TIMEOUT (exit 1)', async () => {
    const { app, port, client, exits, shutdown } = await boot('1');
    try {
      const stuck = await startSlowRequest(
        port,
        form({ grant_type: 'client_credentials', scope: 'read' }),
        basicAuth(client.clientId, client.secret),
      );
      await wait(100);
      const started = Date.now();
      void shutdown('SIGTERM');
      for (let i = 0; i < 60 && exits.length === 0; i++) {
        await wait(100);
      }
      expect(exits.map((e) => e.code)).toEqual([1]);
      const elapsed = (exits[0]?.at ?? Infinity) - started;
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(4000);
      stuck.socket.destroy();
    } finally {
      await closeQuietly(app);
    }
  }, 60_000);
});
