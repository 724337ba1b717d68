import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { looksLikeClientIdUrl } from '../../client-id-metadata/client-id-url.js';
import { ClientRegistry } from '../../clients/client-registry.js';
import { OwnersService } from '../../owners/owners.service.js';
import { applyPageHeaders, PageRenderer } from '../../pages/page-renderer.service.js';
import { CsrfService } from '../../sessions/csrf.service.js';
import { OwnerSessionService, type OwnerSession } from '../../sessions/owner-session.service.js';
import { isSessionLive } from '../../sessions/session-liveness.js';
import { AuthorizeErrorFilter } from '../authorize/authorize-error.filter.js';
import { ConsentService } from '../../consent/consent.service.js';
import { SessionLogout } from '../../oidc/logout/session-logout.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * /account: the signed-in owner's consent grants, each revocable, and sign-out (POSTs with a
 * CSRF token). A session counts only while live (same rule as /authorize: owner enabled, no
 * password change since).
 */
@Controller('account')
@UseFilters(AuthorizeErrorFilter) // errors are pages here too
export class AccountController {
  constructor(
    private readonly sessions: OwnerSessionService,
    private readonly csrf: CsrfService,
    private readonly consents: ConsentService,
    private readonly clients: ClientRegistry,
    private readonly owners: OwnersService,
    private readonly pages: PageRenderer,
    private readonly logout: SessionLogout,
  ) {}

  /** The session when live; a dead one is ended (store entry and cookie) and null returned. */
  private async liveSession(req: FastifyRequest, reply: FastifyReply): Promise<OwnerSession | null> {
    const session = await this.sessions.current(req);
    if (!session) {
      return null;
    }
    if (!isSessionLive(session, await this.owners.find(session.ownerId))) {
      await this.sessions.destroy(session, reply);
      return null;
    }
    return session;
  }

  @Get()
  async show(
    @Query('revoked') revoked: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const session = await this.liveSession(req, reply);
    // An erased owner's session is no session (liveSession needs the owner to exist).
    const owner = session ? await this.owners.find(session.ownerId) : null;
    if (!session || !owner) {
      applyPageHeaders(reply);
      return reply.redirect('/login', 302);
    }
    const grants = await this.consents.list({ ownerId: session.ownerId });
    const rows = await Promise.all(
      grants.map(async (g) => ({
        id: g.id,
        // A metadata-document client is shown by its document's host (R-MCP-8), without a fetch.
        clientName: looksLikeClientIdUrl(g.clientId)
          ? `${new URL(g.clientId).host} (not verified)`
          : ((await this.clients.find(g.clientId))?.clientName ?? g.clientId),
        scopes: g.scopes,
        createdAt: g.createdAt.toISOString().slice(0, 10),
      })),
    );
    return this.pages.send(reply, 'account', 'Your account', {
      ownerName: owner.displayName ?? owner.username,
      grants: rows,
      csrf: this.csrf.token('account', session.id),
      notice: revoked === '1' ? 'Access revoked.' : undefined,
    });
  }

  @Post('grants/:id/revoke')
  async revoke(
    @Param('id') id: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const session = await this.liveSession(req, reply);
    if (!session) {
      return this.pages.error(reply, 401, 'Your session has expired; sign in again.');
    }
    if (!this.csrf.verify('account', session.id, body?.csrf)) {
      return this.pages.error(reply, 403, 'The form has expired or was tampered with (CSRF check failed).');
    }
    if (!UUID.test(id)) {
      return this.pages.error(reply, 404, 'No such grant.');
    }
    await this.consents.revoke(id, session.ownerId);
    applyPageHeaders(reply);
    return reply.redirect('/account?revoked=1', 303);
  }

  /**
   * Issue 16 L13: ends the session (CSRF-checked POST), then shows the login page. The same path
   * as RP-initiated logout: the clients that took part get back-channel logout (R-OIDC-11).
   */
  @Post('sign-out')
  async signOut(
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const session = await this.sessions.current(req);
    if (!session) {
      applyPageHeaders(reply);
      return reply.redirect('/login', 303); // already signed out
    }
    if (!this.csrf.verify('account', session.id, body?.csrf)) {
      return this.pages.error(reply, 403, 'The form has expired or was tampered with (CSRF check failed).');
    }
    await this.logout.end(session, reply);
    applyPageHeaders(reply);
    return reply.redirect('/login', 303);
  }
}
