import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';

/**
 * Times every request by route template (never the raw path: ids and junk URLs would make
 * unbounded series); a request that matched no route counts under route "unmatched".
 */
export function addHttpMetrics(fastify: FastifyInstance, metrics: Metrics, listener: string): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      {
        listener,
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
