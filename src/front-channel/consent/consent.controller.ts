import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessDenied } from '../../common/errors/oauth-error.js';
import { AppConfig } from '../../config/app-config.js';
import { originOf, PageRenderer } from '../../pages/page-renderer.service.js';
import { CsrfService } from '../../sessions/csrf.service.js';
import { OwnerSessionService, type OwnerSession } from '../../sessions/owner-session.service.js';
import { AuthorizeErrorFilter } from '../authorize/authorize-error.filter.js';
import { AuthorizePageError } from '../authorize/authorize-errors.js';
import { AuthorizeFlowService } from '../authorize/authorize-flow.service.js';
import { ConsentService } from '../../consent/consent.service.js';
import { looksLikeClientIdUrl } from '../../client-id-metadata/client-id-url.js';
import { ResourceRegistry } from '../../resources/registry/resource-registry.js';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** The consent page (R-AUTHZ-13, R-MCP-8): allow → code, deny → access_denied. */
@Controller('consent')
@UseFilters(AuthorizeErrorFilter)
export class ConsentController {
  constructor(
    private readonly config: AppConfig,
    private readonly flow: AuthorizeFlowService,
    private readonly sessions: OwnerSessionService,
    private readonly csrf: CsrfService,
    private readonly consents: ConsentService,
    private readonly pages: PageRenderer,
    private readonly resources: ResourceRegistry,
  ) {}

  private async signedIn(req: FastifyRequest): Promise<OwnerSession> {
    const session = await this.sessions.current(req);
    if (!session) {
      throw new AuthorizePageError('your session has expired; start again from the application', 401);
    }
    return session;
  }

  @Get()
  async show(
    @Query('req') id: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const { pending, client } = await this.flow.resume(req, id);
    const session = await this.signedIn(req);
    const catalog = await this.resources.catalog();
    const descriptions = new Map(catalog.scopes.map((s) => [s.name, s.description]));
    const redirectHost = new URL(pending.redirectUri).host;
    const target = originOf(pending.redirectUri);
    // Incremental consent (R-MCP-16): only what the owner has not allowed yet is asked for.
    const granted = (await this.consents.active(session.ownerId, client.clientId))?.scopes ?? [];
    const fresh = pending.scopes.filter((s) => !granted.includes(s));
    const asked = fresh.length > 0 ? fresh : pending.scopes;
    const kept = granted.filter((s) => !asked.includes(s));
    return this.pages.send(
      reply,
      'consent',
      'Allow access',
      {
        req: id,
        csrf: this.csrf.token('consent', `${id as string}:${session.id}`),
        clientName: client.clientName,
        // R-MCP-8: a metadata-document client is known by its document's host, not its name.
        documentHost: looksLikeClientIdUrl(client.clientId) ? new URL(client.clientId).host : undefined,
        // Issue 16 L12: a self-registered client's name is a claim; its redirect host is its identity.
        unverified: client.dynamicallyRegistered,
        redirectHost,
        loopbackOnly: client.redirectUris.every((u) => LOOPBACK.test(new URL(u).hostname)),
        scopes: asked.map((name) => ({ name, description: descriptions.get(name) ?? name })),
        alreadyAllowed: kept.map((name) => descriptions.get(name) ?? name),
        // Registered resources by their admin-given name (R-AUTHZ-13), always with the identifier.
        resources: pending.resources.map((identifier) => ({
          identifier,
          name: catalog.find(identifier)?.name ?? identifier,
        })),
      },
      { formTargets: target ? [target] : [] },
    );
  }

  @Post()
  async decide(
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const { id, pending, client } = await this.flow.resume(req, body?.req);
    const session = await this.signedIn(req);
    if (!this.csrf.verify('consent', `${id}:${session.id}`, body?.csrf)) {
      throw new AuthorizePageError(
        'the form has expired or was tampered with (CSRF check failed); go back and try again',
        403,
      );
    }
    if (body?.decision === 'deny') {
      throw new AccessDenied('the owner denied the request');
    }
    if (body?.decision !== 'allow') {
      throw new AuthorizePageError('decision must be allow or deny');
    }
    const before = await this.consents.active(session.ownerId, client.clientId);
    const stepUp =
      before !== null &&
      (pending.scopes.some((s) => !before.scopes.includes(s)) ||
        pending.resources.some((r) => !before.resources.includes(r)));
    await this.consents.approve(session.ownerId, client.clientId, pending.scopes, pending.resources);
    return this.flow.proceed(req, reply, { ...pending, consentDone: true, stepUp }, client, id);
  }
}
