import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { LINGER_MS, lingeringClientErrorHandler } from './lingering-client-error.js';

describe('lingeringClientErrorHandler', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer(() => undefined);
    server.on('clientError', lingeringClientErrorHandler);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Opens a connection, writes `bytes`, and collects the answer until the server half-closes. */
  async function answerTo(bytes: string): Promise<{ socket: Socket; answer: string }> {
    // Half-open: the client keeps its side open after the server's FIN, as a client still sending does.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    socket.setEncoding('latin1');
    await once(socket, 'connect');
    let answer = '';
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.write(bytes);
    await once(socket, 'end');
    return { socket, answer };
  }

  it('answers 431 to headers over the limit, half-closes and keeps reading what is still sent', async () => {
    const { socket, answer } = await answerTo(`GET /?a=${'a'.repeat(40_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(answer).toContain('Connection: close');
    expect(JSON.parse(answer.split('\r\n\r\n')[1] ?? '')).toMatchObject({ statusCode: 431 });
    // The server still reads: writes after its answer are not refused with a reset.
    socket.on('error', () => undefined);
    const write = (data: string) => new Promise<unknown>((resolve) => socket.write(data, resolve));
    for (let i = 0; i < 3; i++) {
      expect(await write('b'.repeat(100_000))).toBeFalsy();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const closed = once(socket, 'close');
    socket.end();
    const [hadError] = (await closed) as [boolean];
    expect(hadError).toBe(false);
  });

  it('answers 400 to an unparseable request line', async () => {
    const { socket, answer } = await answerTo('GET / x HTTP/1.1\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    socket.destroy();
  });

  it('drops a connection that stays open after the answer once the lingering time is over', async () => {
    const { socket } = await answerTo('NOT-HTTP\r\n\r\n');
    const started = Date.now();
    const openConnections = () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
      );
    while ((await openConnections()) > 0 && Date.now() - started < LINGER_MS + 2_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await openConnections()).toBe(0);
    expect(Date.now() - started).toBeGreaterThan(LINGER_MS - 200);
    socket.destroy();
  });
});
