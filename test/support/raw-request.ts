import { connect } from 'node:net';
import type { FuzzRequest } from './fuzz-requests.js';

/** The status line's code (-1: no answer) and the first bytes of the answer (all of it for a 5xx). */
export interface RawAnswer {
  status: number;
  answer: string;
  /** The socket error, if any (e.g. ECONNRESET when the server reset the connection). */
  error?: string;
}

/**
 * Writes the request as raw bytes on a fresh TCP connection (so invalid UTF-8, odd methods and huge
 * headers reach Node's parser as they are) and reads the status line; status -1 when the connection
 * closed without an answer or none came within `timeoutMs`.
 */
export function sendRaw(port: number, req: FuzzRequest, timeoutMs = 15_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const body = req.payload === undefined ? undefined : Buffer.from(req.payload);
    const lines = [`${req.method} ${req.url} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
    for (const [name, value] of Object.entries(req.headers)) {
      lines.push(`${name}: ${value}`);
    }
    if (body) {
      lines.push(`Content-Length: ${body.length}`);
    }
    const head = lines.join('\r\n') + '\r\n\r\n';
    // Latin-1 where possible: a lone byte above 0x7f is invalid UTF-8 on purpose.
    const bytes = Buffer.from(head, /[\u0100-\uffff]/.test(head) ? 'utf8' : 'latin1');
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let error: string | undefined;
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    // No half-close: Node's server drops a response still being computed when the client ends first.
    socket.on('connect', () => socket.write(body ? Buffer.concat([bytes, body]) : bytes));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (!answer.startsWith('HTTP/1.1 5') && answer.length >= 12) {
        socket.destroy();
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
      socket.destroy();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      resolve({ status: match ? Number(match[1]) : -1, answer, error });
    });
  });
}
