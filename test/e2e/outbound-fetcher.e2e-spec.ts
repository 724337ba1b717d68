import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { OutboundFetcher, type OutboundRequest } from '../../src/outbound/outbound-fetcher.js';
import { OutboundFetchError } from '../../src/outbound/outbound-fetch.error.js';
import type { OutboundOptions } from '../../src/outbound/outbound.options.js';
import {
  selfSignedCert,
  startHttpsServer,
  type SelfSignedCert,
  type TestHttpsServer,
} from '../support/self-signed-https.js';

const fetcher = (
  options: Partial<OutboundOptions> = {},
  resolver?: ConstructorParameters<typeof OutboundFetcher>[1],
) =>
  new OutboundFetcher(
    { allowPrivate: false, timeoutMs: 5000, connectTimeoutMs: 2000, maxBytes: 256 * 1024, ...options },
    resolver,
  );

async function failure(promise: Promise<unknown>): Promise<OutboundFetchError> {
  const err = await promise.then(
    () => new Error('expected the fetch to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutboundFetchError);
  // Callers show the message as an OAuth error_description (RFC 6749 §5.2 character set).
  expect((err as Error).message).toMatch(/^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/);
  return err as OutboundFetchError;
}

describe('OutboundFetcher against real local servers (R-MCP-7)', () => {
  let cert: SelfSignedCert;
  let server: TestHttpsServer;
  let hits = 0;
  let lastHost: string | undefined;
  let lastServername: string | false | null | undefined;
  let dev: OutboundFetcher;

  beforeAll(async () => {
    cert = selfSignedCert();
    server = await startHttpsServer(cert, (req, res) => {
      hits++;
      lastHost = req.headers.host;
      lastServername = (req.socket as TLSSocket).servername;
      const path = req.url ?? '/';
      if (path === '/jwks') {
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end('{"keys":[]}');
      } else if (path === '/redirect') {
        res.writeHead(302, { Location: 'https://127.0.0.1:6379/' }).end();
      } else if (path === '/big') {
        res.setHeader('Content-Type', 'application/json');
        res.end(Buffer.alloc(300 * 1024, 0x20));
      } else if (path === '/big-chunked') {
        res.setHeader('Content-Type', 'application/json');
        for (let i = 0; i < 40; i++) {
          res.write(Buffer.alloc(8 * 1024, 0x20));
        }
        res.end();
      } else if (path === '/html') {
        res.setHeader('Content-Type', 'text/html');
        res.end('<html></html>');
      } else if (path === '/slow') {
        res.setHeader('Content-Type', 'application/json');
        res.write('{'); // and never finishes
      } else {
        res.writeHead(404).end();
      }
    });
    dev = fetcher({ allowPrivate: true, extraCa: cert.cert });
  });
  afterAll(async () => {
    await server.close();
    cert.remove();
  });

  const json: OutboundRequest = { accept: ['application/json'] };

  it.each([
    ['IPv4 loopback', (port: number) => `https://127.0.0.1:${port}/jwks`],
    ['IPv4 loopback as one hex number', (port: number) => `https://0x7f000001:${port}/jwks`],
    ['IPv4 loopback as one decimal number', (port: number) => `https://2130706433:${port}/jwks`],
    ['IPv4 loopback shortened', (port: number) => `https://127.1:${port}/jwks`],
    ['IPv6 loopback', (port: number) => `https://[::1]:${port}/jwks`],
    ['IPv4-mapped IPv6 loopback', (port: number) => `https://[::ffff:127.0.0.1]:${port}/jwks`],
    ['localhost', (port: number) => `https://localhost:${port}/jwks`],
    ['IPv6 link-local', () => 'https://[fe80::1]/jwks'],
    ['IPv6 unique-local', () => 'https://[fd12:3456::1]/jwks'],
    ['IPv4 link-local (cloud metadata)', () => 'https://169.254.169.254/latest/meta-data'],
    ['IPv4 private', () => 'https://10.0.0.1/jwks'],
    ['IPv4 carrier-grade NAT', () => 'https://100.64.0.1/jwks'],
    ['IPv4 unspecified', () => 'https://0.0.0.0/jwks'],
    ['IPv4 broadcast', () => 'https://255.255.255.255/jwks'],
    ['IPv4 multicast', () => 'https://224.0.0.1/jwks'],
    ['IPv6 multicast', () => 'https://[ff02::1]/jwks'],
    ['IPv6 unspecified', () => 'https://[::]/jwks'],
  ])('R-MCP-7: refuses %s without connecting (blocked_address)', async (_name, url) => {
    const before = hits;
    const err = await failure(fetcher({ extraCa: cert.cert }).fetch(url(server.port), json));
    expect(err.code).toBe('blocked_address');
    expect(hits).toBe(before);
  });

  it('R-MCP-7: a name resolving to loopback is refused after resolution (blocked_address)', async () => {
    const resolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const err = await failure(fetcher({}, resolver).fetch(`https://keys.example:${server.port}/jwks`));
    expect(err.code).toBe('blocked_address');
  });

  it('R-MCP-7: https only; malformed URLs and URLs with credentials are refused', async () => {
    expect((await failure(fetcher().fetch('http://example.com/jwks'))).code).toBe('not_https');
    expect((await failure(fetcher().fetch('ftp://example.com/jwks'))).code).toBe('not_https');
    expect((await failure(fetcher().fetch('not a url'))).code).toBe('invalid_url');
    expect((await failure(fetcher().fetch('https://user:pw@example.com/'))).code).toBe('invalid_url');
  });

  it('R-MCP-7: the development override fetches from loopback over https with the extra CA', async () => {
    const res = await dev.fetch(`${server.origin}/jwks`, json);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({ keys: [] });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('R-MCP-7: connects to the vetted address while Host and TLS SNI keep the name', async () => {
    const resolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const pinned = fetcher({ allowPrivate: true, extraCa: cert.cert }, resolver);
    const res = await pinned.fetch(`https://localhost:${server.port}/jwks`, json);
    expect(res.status).toBe(200);
    expect(lastHost).toBe(`localhost:${server.port}`);
    expect(lastServername).toBe('localhost');
  });

  it('R-MCP-7: an untrusted (self-signed) certificate is refused without the extra CA (network)', async () => {
    const err = await failure(fetcher({ allowPrivate: true }).fetch(`${server.origin}/jwks`));
    expect(err.code).toBe('network');
  });

  it('R-MCP-7: a redirect (here to a blocked address) is not followed (redirect)', async () => {
    const err = await failure(dev.fetch(`${server.origin}/redirect`, json));
    expect(err.code).toBe('redirect');
  });

  it('R-MCP-7: an oversized document is refused, by Content-Length or while streaming (too_large)', async () => {
    expect((await failure(dev.fetch(`${server.origin}/big`, json))).code).toBe('too_large');
    expect((await failure(dev.fetch(`${server.origin}/big-chunked`, json))).code).toBe('too_large');
    expect((await failure(dev.fetch(`${server.origin}/jwks`, { ...json, maxBytes: 5 }))).code).toBe(
      'too_large',
    );
  });

  it('R-MCP-7: a server that never finishes its answer hits the total timeout (timeout)', async () => {
    const err = await failure(dev.fetch(`${server.origin}/slow`, { ...json, timeoutMs: 300 }));
    expect(err.code).toBe('timeout');
  });

  it('R-MCP-7: a wrong content type is refused (bad_content_type)', async () => {
    const err = await failure(dev.fetch(`${server.origin}/html`, json));
    expect(err.code).toBe('bad_content_type');
  });

  it('R-MCP-7: the development override also allows plain http to loopback', async () => {
    const plain: Server = createHttpServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = plain.address() as AddressInfo;
      const res = await dev.fetch(`http://127.0.0.1:${port}/`);
      expect(res.body.toString()).toBe('ok');
      expect((await failure(fetcher().fetch(`http://127.0.0.1:${port}/`))).code).toBe('not_https');
    } finally {
      plain.close();
    }
  });
});
