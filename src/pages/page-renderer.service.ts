import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import Handlebars from 'handlebars';
import { AppConfig } from '../config/app-config.js';
import { accountTemplate } from './templates/account.template.js';
import { consentTemplate } from './templates/consent.template.js';
import { endSessionTemplate } from './templates/end-session.template.js';
import {
  deviceConfirmTemplate,
  deviceDoneTemplate,
  deviceEntryTemplate,
  deviceLoginTemplate,
} from './templates/device.template.js';
import { errorTemplate } from './templates/error.template.js';
import { layoutTemplate } from './templates/layout.template.js';
import { loginTemplate } from './templates/login.template.js';

const templates = {
  login: loginTemplate,
  consent: consentTemplate,
  account: accountTemplate,
  error: errorTemplate,
  'end-session': endSessionTemplate,
  'device-entry': deviceEntryTemplate,
  'device-login': deviceLoginTemplate,
  'device-confirm': deviceConfirmTemplate,
  'device-done': deviceDoneTemplate,
};
export type PageName = keyof typeof templates;

export interface PageOptions {
  status?: number;
  /**
   * Origins a form on the page may end up at. Chromium applies CSP form-action to the
   * redirect that answers a form POST, so the login and consent pages must allow the
   * client's redirect URI origin besides 'self'.
   */
  formTargets?: string[];
  headers?: Record<string, string>;
}

/**
 * Server-rendered pages (login, consent, account, errors). Handlebars escapes every `{{value}}`
 * (R-SEC-3); templates are TypeScript strings so the build needs no asset step.
 */
@Injectable()
export class PageRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly layout = this.handlebars.compile(layoutTemplate, { strict: false });
  private readonly pages = new Map(
    Object.entries(templates).map(([name, source]) => [name, this.handlebars.compile(source)]),
  );

  constructor(private readonly config: AppConfig) {}

  html(page: PageName, title: string, data: Record<string, unknown>): string {
    const body = this.pages.get(page)?.(data) ?? '';
    return this.layout({
      title,
      body,
      brand: {
        name: this.config.env.BRAND_NAME,
        logoUrl: this.config.env.BRAND_LOGO_URL,
        color: this.config.env.BRAND_COLOR,
      },
    });
  }

  send(
    reply: FastifyReply,
    page: PageName,
    title: string,
    data: Record<string, unknown>,
    options: PageOptions = {},
  ): FastifyReply {
    applyPageHeaders(reply, options.formTargets ?? []);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      void reply.header(name, value);
    }
    return reply.status(options.status ?? 200).send(this.html(page, title, data));
  }

  error(reply: FastifyReply, status: number, message: string, code?: string): FastifyReply {
    const heading = status >= 500 ? 'Service unavailable' : 'This request cannot be completed';
    return this.send(reply, 'error', heading, { heading, message, code }, { status });
  }
}

/** Only scheme://host[:port] of a URI, for CSP source lists; undefined when unparsable. */
export function originOf(uri: string): string | undefined {
  try {
    const origin = new URL(uri).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** R-AUTHZ-14 / R-SEC-5: no framing, no referrer, no caching, no scripts, nothing third-party. */
export function applyPageHeaders(reply: FastifyReply, formTargets: string[] = []): void {
  const formAction = ["'self'", ...formTargets.filter((t) => /^https?:\/\/[^\s;,']+$/.test(t))].join(' ');
  void reply
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .header(
      'Content-Security-Policy',
      [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src 'self' https: data:",
        `form-action ${formAction}`,
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join('; '),
    );
}
