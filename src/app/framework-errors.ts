import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { PageRenderer } from '../pages/page-renderer.service.js';

/** Routes a person's browser visits: their errors are HTML pages, never JSON (issue 16 L8). */
const BROWSER_ROUTES = /^\/(authorize|login|consent|account|device)(\/|\?|$)/;

export function isBrowserRoute(url: string | undefined): boolean {
  return BROWSER_ROUTES.test(url ?? '');
}

const pageRenderers = new WeakMap<AppConfig, PageRenderer>();

/**
 * Writes a framework-level client error (bad URL, bad content type, body too large, malformed or
 * too deeply nested JSON) without echoing anything from the request: the HTML error page on
 * browser routes, OAuth-shaped JSON elsewhere; always no-store. Security headers are the
 * caller's (onRequest hook, or the router's frameworkErrors handler).
 */
export function sendClientError(
  config: AppConfig,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
): void {
  if (isBrowserRoute(request.url)) {
    let pages = pageRenderers.get(config);
    if (!pages) {
      pages = new PageRenderer(config);
      pageRenderers.set(config, pages);
    }
    const message =
      status >= 500
        ? 'Something went wrong on our side. Try again in a moment.'
        : 'The request could not be read. Go back and try again.';
    pages.error(reply, status, message);
    return;
  }
  void reply
    .status(status)
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .send({ error, error_description: description });
}
