import type { Server } from 'node:http';
import type { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { FetchLike } from '../resource-server/index.js';

/** Where this process's own listener can be reached without leaving the host. */
function loopbackOrigin(server: Server): string | undefined {
  const address = server.address();
  if (!address || typeof address !== 'object') {
    return undefined;
  }
  const unspecified = address.address === '0.0.0.0' || address.address === '::';
  const host = unspecified
    ? '127.0.0.1'
    : address.family === 'IPv6'
      ? `[${address.address}]`
      : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * A fetch for a resource server living in the same process as its authorization server.
 * Requests to the issuer's origin go to this app's own listener over loopback (no hairpin to
 * the public URL, no TLS at a proxy), or, when the app is not listening, are injected into
 * the Fastify instance. Anything else goes to the network.
 */
export function inProcessFetch(adapterHost: HttpAdapterHost, issuer: string): FetchLike {
  const origin = new URL(issuer).origin;
  return async (url, init = {}) => {
    const target = new URL(url);
    if (target.origin !== origin) {
      return fetch(url, init);
    }
    const path = `${target.pathname}${target.search}`;
    const local = loopbackOrigin(adapterHost.httpAdapter.getHttpServer() as Server);
    if (local) {
      return fetch(`${local}${path}`, init);
    }
    const fastify = adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const res = await fastify.inject({
      method: (init.method ?? 'GET') as 'GET' | 'POST',
      url: path,
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
