import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { originOf, PageRenderer } from '../../pages/page-renderer.service.js';
import { CsrfService } from '../../sessions/csrf.service.js';
import { loginBinding, type LoginFlow } from './login-flow.js';

/** Renders the login form (first show and after a failed attempt). */
@Injectable()
export class LoginPage {
  constructor(
    private readonly pages: PageRenderer,
    private readonly csrf: CsrfService,
  ) {}

  send(
    reply: FastifyReply,
    flow: LoginFlow,
    browserId: string,
    extra: { error?: string; username?: string; status?: number; headers?: Record<string, string> } = {},
  ): FastifyReply {
    const target = flow.pending ? originOf(flow.pending.redirectUri) : undefined;
    return this.pages.send(
      reply,
      'login',
      'Sign in',
      {
        req: flow.pendingId ?? '',
        csrf: this.csrf.token('login', loginBinding(flow.pendingId, browserId)),
        clientName: flow.client?.clientName,
        error: extra.error,
        username: extra.username ?? flow.pending?.loginHint,
      },
      { status: extra.status, headers: extra.headers, formTargets: target ? [target] : [] },
    );
  }
}
