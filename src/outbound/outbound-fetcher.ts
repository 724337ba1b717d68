import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { bareHost, pinnedLookup, resolveVetted, systemResolver, type Resolver } from './address-policy.js';
import { OutboundFetchError } from './outbound-fetch.error.js';
import { OUTBOUND_OPTIONS, type OutboundOptions } from './outbound.options.js';

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  maxBytes?: number;
  timeoutMs?: number;
  /** Allowed response media types (compared without parameters); unset: any. */
  accept?: readonly string[];
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The one way Tessera fetches a URL it was given by someone else (jwks_uri, metadata
 * documents...). https only; the host is resolved once and every address vetted
 * (address-policy.ts), then the socket connects to exactly those addresses; no redirects (a 3xx
 * is the error `redirect`); response size cap; connect and total timeouts; optional media-type
 * check. OUTBOUND_ALLOW_PRIVATE (development only) lifts the address check and allows http.
 */
@Injectable()
export class OutboundFetcher {
  private readonly ca: string[] | undefined;

  constructor(
    @Inject(OUTBOUND_OPTIONS) private readonly options: OutboundOptions,
    @Optional() @Inject('OUTBOUND_RESOLVER') private readonly resolve: Resolver = systemResolver,
  ) {
    this.ca = options.extraCa ? [...rootCertificates, options.extraCa] : undefined;
  }

  async fetch(raw: string, req: OutboundRequest = {}): Promise<OutboundResponse> {
    const url = this.parse(raw);
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      const vetting = resolveVetted(bareHost(url), this.options.allowPrivate, this.resolve);
      const addresses = await Promise.race([vetting, aborted(deadline.signal, timeoutMs)]);
      return await this.request(url, req, addresses, deadline.signal, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  private parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new OutboundFetchError('invalid_url', 'not a valid absolute URL');
    }
    if (url.username || url.password) {
      throw new OutboundFetchError('invalid_url', 'URL must not contain credentials');
    }
    const httpAllowed = this.options.allowPrivate && url.protocol === 'http:';
    if (url.protocol !== 'https:' && !httpAllowed) {
      throw new OutboundFetchError('not_https', 'only https URLs are fetched');
    }
    return url;
  }

  private request(
    url: URL,
    req: OutboundRequest,
    addresses: Parameters<typeof pinnedLookup>[0],
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<OutboundResponse> {
    const maxBytes = req.maxBytes ?? this.options.maxBytes;
    const headers: Record<string, string> = { 'user-agent': 'Tessera', ...req.headers };
    if (req.accept && !Object.keys(headers).some((h) => h.toLowerCase() === 'accept')) {
      headers.accept = req.accept.join(', ');
    }
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<OutboundResponse>((resolve, reject) => {
      const fail = (err: OutboundFetchError): void => {
        request.destroy();
        reject(err);
      };
      const request = client.request(url, {
        method: req.method ?? 'GET',
        headers,
        agent: false,
        lookup: pinnedLookup(addresses),
        ca: this.ca,
        signal,
      });
      const connectTimer = setTimeout(
        () =>
          fail(new OutboundFetchError('timeout', `no connection within ${this.options.connectTimeoutMs} ms`)),
        this.options.connectTimeoutMs,
      );
      request.on('socket', (socket) => {
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () =>
          clearTimeout(connectTimer),
        );
      });
      request.on('error', (err) => {
        clearTimeout(connectTimer);
        reject(
          signal.aborted
            ? new OutboundFetchError('timeout', `no complete answer within ${timeoutMs} ms`)
            : new OutboundFetchError(
                'network',
                `request failed: ${(err as NodeJS.ErrnoException).code ?? 'connection failed'}`,
              ),
        );
      });
      request.on('response', (res) => {
        clearTimeout(connectTimer);
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          return fail(new OutboundFetchError('redirect', `answered ${status}; redirects are not followed`));
        }
        const type = (res.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        if (req.accept && status >= 200 && status < 300 && !req.accept.includes(type)) {
          return fail(
            new OutboundFetchError(
              'bad_content_type',
              `content type ${type || '(none)'} is not one of ${req.accept.join(', ')}`,
            ),
          );
        }
        const tooLarge = (): OutboundFetchError =>
          new OutboundFetchError('too_large', `response is larger than ${maxBytes} bytes`);
        if (Number(res.headers['content-length'] ?? 0) > maxBytes) {
          return fail(tooLarge());
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            return fail(tooLarge());
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status, headers: flatten(res.headers), body: Buffer.concat(chunks) }));
        res.on('error', () => undefined); // reported through the request's error
      });
      request.end(req.body);
    });
  }
}

function flatten(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      out[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return out;
}

function aborted(signal: AbortSignal, timeoutMs: number): Promise<never> {
  return new Promise((_, reject) => {
    const fire = (): void => reject(new OutboundFetchError('timeout', `no answer within ${timeoutMs} ms`));
    if (signal.aborted) {
      fire();
    } else {
      signal.addEventListener('abort', fire, { once: true });
    }
  });
}
