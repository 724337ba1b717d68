import type { FastifyRequest } from 'fastify';

/** Where errors of this request may be redirected, once the redirect URI is verified. */
export interface RedirectTarget {
  redirectUri: string;
  state?: string;
}

const targets = new WeakMap<FastifyRequest, () => RedirectTarget | undefined>();

/** Called by the flow once a redirect URI is trusted; read lazily so later state is seen. */
export function setRedirectTarget(request: FastifyRequest, resolve: () => RedirectTarget | undefined): void {
  targets.set(request, resolve);
}

export function redirectTargetOf(request: FastifyRequest): RedirectTarget | undefined {
  return targets.get(request)?.();
}
