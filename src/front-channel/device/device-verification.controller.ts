import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientRegistry } from '../../clients/client-registry.js';
import { ConsentService } from '../../consent/consent.service.js';
import { DeviceCodeStore } from '../../device/device-code.store.js';
import { normalizeUserCode } from '../../device/user-code.js';
import { CsrfService } from '../../sessions/csrf.service.js';
import { OwnerSessionService } from '../../sessions/owner-session.service.js';
import { CurrentOwner } from '../../owners/current-owner.decorator.js';
import type { OwnerEntity } from '../../owners/owner.entity.js';
import { AuthorizeErrorFilter } from '../authorize/authorize-error.filter.js';
import { AuthorizePageError } from '../authorize/authorize-errors.js';
import { DeviceLoginGuard } from './device-login.guard.js';
import { DevicePages } from './device-pages.service.js';
import { DeviceVerificationStore } from './device-verification.store.js';
import { UserCodeEntryLimiter } from './user-code-entry-limiter.js';

type Form = Record<string, unknown> | undefined;
const EXPIRED = 'this code entry has expired or was already used; enter the code shown on your device again';
const CSRF_FAILED = 'the form has expired or was tampered with (CSRF check failed); go back and try again';

/**
 * RFC 8628 §3.3 verification page (R-DEV): GET /device (optionally ?user_code= from
 * verification_uri_complete) shows the code form; POST /device checks the code (throttled per
 * IP and per browser, counted before the lookup); the owner signs in if needed
 * (/device/login), sees the client, scopes and resources (/device/confirm), allows or denies.
 */
@Controller('device')
@UseFilters(AuthorizeErrorFilter)
export class DeviceVerificationController {
  constructor(
    private readonly devices: DeviceCodeStore,
    private readonly verifications: DeviceVerificationStore,
    private readonly limiter: UserCodeEntryLimiter,
    private readonly sessions: OwnerSessionService,
    private readonly csrf: CsrfService,
    private readonly clients: ClientRegistry,
    private readonly consents: ConsentService,
    private readonly pages: DevicePages,
  ) {}

  @Get()
  show(
    @Query('user_code') userCode: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): FastifyReply {
    const prefill = typeof userCode === 'string' ? userCode.slice(0, 20) : undefined;
    return this.pages.entry(reply, this.sessions.browserId(req, reply), { userCode: prefill });
  }

  @Post()
  async enter(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const browserId = this.sessions.presentedBrowserId(req);
    if (!browserId || !this.csrf.verify('device', `entry:${browserId}`, body?.csrf)) {
      throw new AuthorizePageError(CSRF_FAILED, 403);
    }
    const typed = typeof body?.user_code === 'string' ? body.user_code.slice(0, 20) : '';
    const retryAfter = await this.limiter.hit(req.ip, browserId);
    if (retryAfter !== null) {
      return this.pages.entry(reply, browserId, {
        userCode: typed,
        error: 'Too many codes entered. Wait a minute before trying again.',
        status: 429,
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    const canonical = normalizeUserCode(typed);
    const record = canonical ? await this.devices.byUserCode(canonical) : null;
    const client = record ? await this.clients.find(record.clientId) : null;
    if (!canonical || !record || !client || client.disabled) {
      return this.pages.entry(reply, browserId, {
        userCode: typed,
        error: 'That code is not valid or has expired. Check the code on your device.',
        status: 400,
      });
    }
    const ttl = Math.ceil((record.expiresAt - Date.now()) / 1000);
    const v = await this.verifications.save(
      { userCode: canonical, browserId, clientName: client.clientName },
      ttl,
    );
    const session = await this.sessions.current(req);
    return reply.redirect(`/device/${session ? 'confirm' : 'login'}?v=${encodeURIComponent(v)}`, 303);
  }

  @Get('login')
  async loginPage(
    @Query('v') v: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const browserId = this.sessions.presentedBrowserId(req);
    const verification = await this.verifications.load(v, browserId);
    if (!verification || !browserId) {
      throw new AuthorizePageError(EXPIRED);
    }
    return this.pages.login(reply, v as string, verification, browserId);
  }

  /** R-AUTHZ-16 as for /login: 303 after the password check, so it is never re-posted. */
  @Post('login')
  @UseGuards(DeviceLoginGuard)
  async login(
    @CurrentOwner() owner: OwnerEntity,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    await this.sessions.create(req, reply, owner.id);
    return reply.redirect(`/device/confirm?v=${encodeURIComponent(body?.v as string)}`, 303);
  }

  @Get('confirm')
  async confirmPage(
    @Query('v') v: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const { verification, record, sessionId } = await this.resume(req, v);
    if (!sessionId) {
      return reply.redirect(`/device/login?v=${encodeURIComponent(v as string)}`, 303);
    }
    return this.pages.confirm(reply, v as string, sessionId, verification, record);
  }

  @Post('confirm')
  async decide(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const { verification, record, sessionId } = await this.resume(req, body?.v);
    const session = await this.sessions.current(req);
    if (
      !sessionId ||
      !session ||
      !this.csrf.verify('device', `confirm:${body?.v as string}:${sessionId}`, body?.csrf)
    ) {
      throw new AuthorizePageError(CSRF_FAILED, 403);
    }
    const decision = body?.decision;
    if (decision !== 'allow' && decision !== 'deny') {
      throw new AuthorizePageError('decision must be allow or deny');
    }
    let consentGrantId: string | null = null;
    if (decision === 'allow') {
      const scopes = record.scope.split(' ').filter(Boolean);
      consentGrantId = (
        await this.consents.approve(session.ownerId, record.clientId, scopes, record.resources)
      ).id;
    }
    const recorded = await this.devices.decide(verification.userCode, {
      status: decision === 'allow' ? 'approved' : 'denied',
      ownerId: session.ownerId,
      authTime: session.authTime,
      consentGrantId,
    });
    await this.verifications.delete(body?.v as string);
    if (!recorded) {
      throw new AuthorizePageError(EXPIRED);
    }
    return decision === 'allow'
      ? this.pages.done(
          reply,
          'Device connected',
          `${verification.clientName} can now access your account. Return to your device.`,
        )
      : this.pages.done(
          reply,
          'Request denied',
          `${verification.clientName} was not given access. Return to your device.`,
        );
  }

  private async resume(req: FastifyRequest, v: unknown) {
    const verification = await this.verifications.load(v, this.sessions.presentedBrowserId(req));
    const record = verification ? await this.devices.byUserCode(verification.userCode) : null;
    if (!verification || !record) {
      throw new AuthorizePageError(EXPIRED);
    }
    const session = await this.sessions.current(req);
    return { verification, record, sessionId: session?.id };
  }
}
