import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** What a back-channel endpoint answers: a JSON object, sent with 200 and no-store. */
export type FormPostHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<object>;

/**
 * Registers `POST path` on the public listener's Fastify instance itself, not through a Nest
 * controller (ADR 0008): the token and introspection endpoints are the hot path, and skipping Nest's router
 * (execution context, guard, interceptor and pipe consumers, response controller) measured 175 → 128 µs of
 * CPU per opaque token request. Everything else is unchanged, because it is Fastify's or is registered on Fastify:
 * body parsing and BODY_LIMIT, the form content-type hook, security headers, CORS, metrics and the access
 * log. A thrown error goes to Fastify's error handler, which Nest points at the same global exception
 * filters (OAuthExceptionFilter) as its own routes.
 */
export function registerFormPost(fastify: FastifyInstance, path: string, handler: FormPostHandler): void {
  fastify.post(path, async (request, reply) => {
    const body = await handler(request, reply);
    void reply.code(200).header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    return body;
  });
}
