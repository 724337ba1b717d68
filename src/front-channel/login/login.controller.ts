import { Controller, Get, Logger, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditWriter } from '../../audit/audit-writer.js';
import type { OwnerEntity } from '../../owners/owner.entity.js';
import { CurrentOwner } from '../../owners/current-owner.decorator.js';
import { AuthorizeErrorFilter } from '../authorize/authorize-error.filter.js';
import { AuthorizeFlowService } from '../authorize/authorize-flow.service.js';
import { PendingAuthorizationStore } from '../authorize/pending-authorization.store.js';
import { OwnerSessionService } from '../../sessions/owner-session.service.js';
import { LoginGuard } from './login.guard.js';
import { loginFlowOf, type LoginFlow } from './login-flow.js';
import { LoginPage } from './login-page.service.js';

/** The owner sign-in page. `req` refers to a pending authorization request (or none: /account). */
@Controller('login')
@UseFilters(AuthorizeErrorFilter)
export class LoginController {
  private readonly logger = new Logger('Login');

  constructor(
    private readonly flow: AuthorizeFlowService,
    private readonly sessions: OwnerSessionService,
    private readonly pendings: PendingAuthorizationStore,
    private readonly page: LoginPage,
    private readonly audit: AuditWriter,
  ) {}

  @Get()
  async show(
    @Query('req') id: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    let flow: LoginFlow = {};
    if (id !== undefined && id !== '') {
      const resumed = await this.flow.resume(req, id);
      flow = { pendingId: resumed.id, pending: resumed.pending, client: resumed.client };
    }
    return this.page.send(reply, flow, this.sessions.browserId(req, reply));
  }

  /** R-AUTHZ-16: answered with 303, never 307, so the credentials are not re-posted. */
  @Post()
  @UseGuards(LoginGuard)
  async login(
    @CurrentOwner() owner: OwnerEntity,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const flow = loginFlowOf(req);
    await this.sessions.create(req, reply, owner.id);
    await this.audit
      .recordAlone({
        type: 'login.succeeded',
        subject: { type: 'owner', id: owner.id },
        ownerId: owner.id,
        actor: { type: 'owner', id: owner.id },
        sourceAddress: req.ip,
        data: { client_id: flow.client?.clientId ?? null },
      })
      .catch((err: unknown) => this.logger.warn(`audit write failed: ${String(err)}`));
    if (!flow.pending || !flow.pendingId) {
      return reply.redirect('/account', 303);
    }
    await this.pendings.save({ ...flow.pending, loginDone: true }, flow.pendingId);
    return reply.redirect(`/authorize/resume?req=${encodeURIComponent(flow.pendingId)}`, 303);
  }
}
