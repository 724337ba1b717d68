import { Controller, Get, Post, Query, Req, Res, UseFilters, Body } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientRegistry } from '../../clients/client-registry.js';
import type { ClientEntity } from '../../clients/client.entity.js';
import { AppConfig } from '../../config/app-config.js';
import { AudiencePolicy } from '../../resources/registry/audience-policy.js';
import { OwnerSessionService } from '../../sessions/owner-session.service.js';
import { IdTokenHintVerifier } from '../../oidc/id-token-hint.js';
import { oidcMetadataOf } from '../../oidc/oidc-client-metadata.js';
import type { RawParams } from './authorize-context.js';
import { AuthorizeErrorFilter } from './authorize-error.filter.js';
import { AuthorizeFlowService } from './authorize-flow.service.js';
import { setRedirectTarget } from './authorize-target.js';
import { newAuthorizeContext, runAuthorizeChecks } from './authorize.pipeline.js';

/** RFC 6749 §3.1 authorization endpoint, GET and POST (R-AUTHZ-1); no CORS. */
@Controller()
@UseFilters(AuthorizeErrorFilter)
export class AuthorizeController {
  constructor(
    private readonly config: AppConfig,
    private readonly clients: ClientRegistry,
    private readonly sessions: OwnerSessionService,
    private readonly flow: AuthorizeFlowService,
    private readonly audience: AudiencePolicy,
    private readonly idTokenHints: IdTokenHintVerifier,
  ) {}

  @Get('authorize')
  authorizeGet(
    @Query() query: RawParams,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return this.authorize(query, req, reply);
  }

  @Post('authorize')
  authorizePost(
    @Body() body: RawParams,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return this.authorize(body ?? {}, req, reply);
  }

  /** Where the login form sends the owner back (303), to continue the flow. */
  @Get('authorize/resume')
  async resume(
    @Query('req') id: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const { pending, client } = await this.flow.resume(req, id);
    return this.flow.proceed(req, reply, pending, client, id as string);
  }

  private async authorize(
    params: RawParams,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const ctx = newAuthorizeContext({ ...params });
    setRedirectTarget(req, () =>
      ctx.redirectUriVerified && ctx.redirectUri
        ? { redirectUri: ctx.redirectUri, state: ctx.state }
        : undefined,
    );
    await runAuthorizeChecks(ctx, {
      clients: this.clients,
      config: this.config,
      idTokenHints: this.idTokenHints,
      audience: this.audience,
    });
    const client = ctx.client as ClientEntity;
    const pending = {
      clientId: client.clientId,
      redirectUri: ctx.redirectUri as string,
      state: ctx.state,
      codeChallenge: ctx.codeChallenge as string,
      scopes: ctx.scopes,
      resources: ctx.resources,
      prompt: ctx.prompt,
      // OIDC Registration §2 default_max_age applies when the request has no max_age.
      maxAge: ctx.maxAge ?? oidcMetadataOf(client).default_max_age,
      nonce: ctx.nonce,
      hintSubject: ctx.hintSubject,
      loginHint: ctx.loginHint,
      browserId: this.sessions.browserId(req, reply),
    };
    return this.flow.proceed(req, reply, pending, client);
  }
}
