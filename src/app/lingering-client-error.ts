import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/** How long a rejected connection is drained before it is dropped. */
export const LINGER_MS = 2_000;

const lingering = new WeakSet<Socket>();

const MESSAGES: Record<number, string> = {
  400: 'Client Error',
  408: 'Client Timeout',
  431: 'Exceeded maximum allowed HTTP header size',
};

/**
 * Fastify's `clientErrorHandler` (unparseable request line or headers, headers over the size limit,
 * request timeout) with a lingering close (RFC 9112 §9.6): the same 400/408/431 answer as Fastify's
 * default, but the connection is half-closed and what the client still sends is read and dropped
 * for up to LINGER_MS before the socket is destroyed. Fastify destroys the socket at once; with
 * request bytes still unread the kernel then sends a reset, and a client still writing a large
 * request (a 2 MB URL) saw ECONNRESET instead of the 431 (found by the fuzz suite under load).
 */
export function lingeringClientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  // The parser reports every later chunk again: answer once.
  if (err.code === 'ECONNRESET' || socket.destroyed || lingering.has(socket)) {
    return;
  }
  lingering.add(socket);
  const status =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify({ error: STATUS_CODES[status], message: MESSAGES[status], statusCode: status });
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  socket.once('close', () => clearTimeout(timer));
  socket.once('end', () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', () => undefined);
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  } else {
    socket.destroy();
  }
}
