import type { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { FetchLike } from '../resource-server/index.js';

/**
 * A fetch for a resource server living in the same process as its authorization server:
 * requests to the issuer's origin are injected into this Fastify instance (full HTTP
 * pipeline, no socket), so the app needs no route to its own public URL (hairpin NAT, TLS
 * at a proxy, tests that never listen). Anything else goes to the network.
 */
export function inProcessFetch(adapterHost: HttpAdapterHost, issuer: string): FetchLike {
  const origin = new URL(issuer).origin;
  return async (url, init = {}) => {
    const target = new URL(url);
    if (target.origin !== origin) {
      return fetch(url, init);
    }
    const fastify = adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const res = await fastify.inject({
      method: (init.method ?? 'GET') as 'GET' | 'POST',
      url: `${target.pathname}${target.search}`,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      payload: typeof init.body === 'string' ? init.body : undefined,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) {
        headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      }
    }
    return new Response(res.statusCode === 204 ? null : res.rawPayload, { status: res.statusCode, headers });
  };
}
