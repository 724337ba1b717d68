import type { Server } from 'node:http';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import { answerBody, type Answer } from './outage-traffic.js';

export interface UaResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  location?: string;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#x27': "'",
  '#x3D': '=',
  '#x60': '`',
  '#39': "'",
};

/** Undoes Handlebars' HTML escaping of attribute values. */
export function unescapeHtml(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#x27|#x3D|#x60|#39);/g, (_m, e: string) => ENTITIES[e] ?? _m);
}

/** The name/value pairs of a page's hidden inputs (the form fields a browser would send). */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[unescapeHtml(match[1] as string)] = unescapeHtml(match[2] as string);
  }
  return fields;
}

/** The action of the page's (first) form. */
export function formAction(html: string): string {
  const match = /<form method="post" action="([^"]+)"/.exec(html);
  if (!match) {
    throw new Error('no form on the page');
  }
  return unescapeHtml(match[1] as string);
}

/**
 * A scripted browser for the public app: a cookie jar (honouring Max-Age=0 removals), GETs
 * and form POSTs, and redirect following that stops when it leaves the server.
 */
export class UserAgent {
  readonly cookies = new Map<string, string>();

  /** The client address the server sees (X-Forwarded-For; apps under test trust it when TRUST_PROXY is set). */
  readonly ip: string;

  constructor(
    private readonly server: Server,
    options: {
      origin?: string;
      ip?: string;
      /** Gives up on a request after this long (it then rejects). */
      timeoutMs?: number;
      /** Every request's answer is appended here, kind "GET /path" (outage specs). */
      answers?: Answer[];
    } = {},
  ) {
    this.origin = options.origin ?? 'http://127.0.0.1:3000';
    this.ip = options.ip ?? `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
    this.timeoutMs = options.timeoutMs;
    this.answers = options.answers;
  }

  private readonly origin: string;
  private readonly timeoutMs: number | undefined;
  private readonly answers: Answer[] | undefined;

  /** Sends `test`, recording its answer (or its failure, as status 0) when asked to. */
  private async send(method: string, url: string, test: request.Test): Promise<UaResponse> {
    const kind = `${method} ${url.split('?')[0] ?? url}`;
    const startedAt = Date.now();
    try {
      const res = await (this.timeoutMs === undefined ? test : test.timeout(this.timeoutMs));
      this.answers?.push({
        kind,
        status: res.status,
        body: answerBody(res.text),
        location: res.headers.location ?? null,
        startedAt,
        ms: Date.now() - startedAt,
      });
      return this.remember(res);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.answers?.push({
        kind,
        status: 0,
        body: { reason },
        location: null,
        startedAt,
        ms: Date.now() - startedAt,
      });
      throw err;
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: request.Response): UaResponse {
    const setCookie = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const line of setCookie ?? []) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line) || value === '') {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
    return { status: res.status, headers: res.headers, text: res.text, location: res.headers.location };
  }

  private path(url: string): string {
    return url.startsWith(this.origin) ? url.slice(this.origin.length) : url;
  }

  async get(url: string): Promise<UaResponse> {
    const path = this.path(url);
    return this.send(
      'GET',
      path,
      request(this.server).get(path).set('Cookie', this.cookieHeader()).set('X-Forwarded-For', this.ip),
    );
  }

  async post(url: string, fields: Record<string, string | string[]>): Promise<UaResponse> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) {
      for (const value of Array.isArray(v) ? v : [v]) {
        body.append(k, value);
      }
    }
    const path = this.path(url);
    return this.send(
      'POST',
      path,
      request(this.server)
        .post(path)
        .set('Cookie', this.cookieHeader())
        .set('X-Forwarded-For', this.ip)
        .type('form')
        .send(body.toString()),
    );
  }

  /** Follows same-server redirects; returns the last response (a page, or a redirect elsewhere). */
  async follow(res: UaResponse, max = 10): Promise<UaResponse> {
    let current = res;
    for (let i = 0; i < max; i++) {
      const location = current.location;
      if (current.status < 300 || current.status >= 400 || !location) {
        return current;
      }
      if (!location.startsWith('/') && !location.startsWith(this.origin)) {
        return current;
      }
      current = await this.get(location);
    }
    throw new Error('too many redirects');
  }

  /** Submits the page's form with its hidden fields plus `extra`. */
  async submit(page: UaResponse, extra: Record<string, string> = {}): Promise<UaResponse> {
    return this.post(formAction(page.text), { ...hiddenFields(page.text), ...extra });
  }
}
