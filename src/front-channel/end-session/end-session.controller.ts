import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientRegistry } from '../../clients/client-registry.js';
import { generateSecret, hashSecret } from '../../common/crypto/secret-hash.js';
import { AppConfig } from '../../config/app-config.js';
import { IdTokenHintVerifier } from '../../oidc/id-token-hint.js';
import {
  parseEndSessionRequest,
  postLogoutLocation,
  type EndSessionRequest,
} from '../../oidc/logout/end-session-request.js';
import { SessionLogout } from '../../oidc/logout/session-logout.service.js';
import { applyPageHeaders, originOf, PageRenderer } from '../../pages/page-renderer.service.js';
import { CsrfService } from '../../sessions/csrf.service.js';
import { OwnerSessionService } from '../../sessions/owner-session.service.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';
import { AuthorizeErrorFilter } from '../authorize/authorize-error.filter.js';
import { redirectStatus } from '../authorize/authorize-flow.service.js';

interface PendingLogout {
  postLogoutRedirectUri?: string;
  state?: string;
  clientName?: string;
}

const pendingKey = (id: string): string => `logout-request:${hashSecret(id)}`;
const ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * OpenID Connect RP-Initiated Logout 1.0 at end_session_endpoint (R-OIDC-10), GET and POST.
 * With an id_token_hint naming the signed-in owner (and session), the owner is signed out at
 * once; otherwise a confirmation page asks first. Then the owner goes to the registered
 * post_logout_redirect_uri with state, or sees a "signed out" page. Errors are pages.
 */
@Controller('end-session')
@UseFilters(AuthorizeErrorFilter)
export class EndSessionController {
  constructor(
    private readonly config: AppConfig,
    private readonly clients: ClientRegistry,
    private readonly hints: IdTokenHintVerifier,
    private readonly sessions: OwnerSessionService,
    private readonly logout: SessionLogout,
    private readonly csrf: CsrfService,
    private readonly pages: PageRenderer,
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
  ) {}

  @Get()
  endGet(
    @Query() query: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return this.handle(query, req, reply);
  }

  @Post()
  endPost(
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return this.handle(body ?? {}, req, reply);
  }

  @Post('confirm')
  async confirm(
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const id = body?.req;
    const browserId = this.sessions.presentedBrowserId(req);
    if (typeof id !== 'string' || !ID.test(id) || !browserId) {
      return this.pages.error(
        reply,
        400,
        'This sign-out request has expired; start again from the application.',
      );
    }
    if (!this.csrf.verify('logout', `${id}.${browserId}`, body?.csrf)) {
      return this.pages.error(reply, 403, 'The form has expired or was tampered with (CSRF check failed).');
    }
    const raw = await this.store.take(pendingKey(id));
    if (!raw) {
      return this.pages.error(
        reply,
        400,
        'This sign-out request has expired; start again from the application.',
      );
    }
    const pending = JSON.parse(raw) as PendingLogout;
    if (body?.decision !== 'yes') {
      return this.message(reply, 'Still signed in', 'You are still signed in.');
    }
    const session = await this.sessions.current(req);
    if (session) {
      await this.logout.end(session, reply);
    }
    return this.finish(req, reply, { client: null, hint: null, ...pending });
  }

  private async handle(
    params: Record<string, unknown>,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const request = await parseEndSessionRequest(params, { clients: this.clients, hints: this.hints });
    const session = await this.sessions.current(req);
    if (!session) {
      return this.finish(req, reply, request);
    }
    const hint = request.hint;
    if (hint && hint.sub === session.ownerId && (hint.sid === undefined || hint.sid === session.sid)) {
      await this.logout.end(session, reply);
      return this.finish(req, reply, request);
    }
    // Not tied to this session (no hint, or another owner or session): ask the owner first.
    const id = generateSecret(32);
    const pending: PendingLogout = {
      ...(request.postLogoutRedirectUri ? { postLogoutRedirectUri: request.postLogoutRedirectUri } : {}),
      ...(request.state !== undefined ? { state: request.state } : {}),
      ...(request.client ? { clientName: request.client.clientName } : {}),
    };
    await this.store.set(pendingKey(id), JSON.stringify(pending), this.config.env.AUTHORIZATION_REQUEST_TTL);
    const browserId = this.sessions.browserId(req, reply);
    const target = request.postLogoutRedirectUri ? originOf(request.postLogoutRedirectUri) : undefined;
    return this.pages.send(
      reply,
      'end-session',
      'Sign out',
      {
        confirm: true,
        req: id,
        csrf: this.csrf.token('logout', `${id}.${browserId}`),
        clientName: pending.clientName,
      },
      { formTargets: target ? [target] : [] },
    );
  }

  private finish(req: FastifyRequest, reply: FastifyReply, request: EndSessionRequest): FastifyReply {
    const location = postLogoutLocation(request);
    if (!location) {
      return this.message(reply, 'Signed out', 'You are signed out.');
    }
    applyPageHeaders(reply);
    return reply.header('Cache-Control', 'no-store').redirect(location, redirectStatus(req));
  }

  private message(reply: FastifyReply, heading: string, message: string): FastifyReply {
    return this.pages.send(reply, 'end-session', heading, { confirm: false, heading, message });
  }
}
