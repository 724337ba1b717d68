import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientRegistry } from '../../clients/client-registry.js';
import type { ClientEntity } from '../../clients/client.entity.js';
import { AppConfig } from '../../config/app-config.js';
import { ConsentService } from '../../consent/consent.service.js';
import { OwnersService } from '../../owners/owners.service.js';
import { OwnerSessionService, type OwnerSession } from '../../sessions/owner-session.service.js';
import { AuthorizationCodeStore } from '../../tokens/codes/authorization-code.store.js';
import { isSessionLive } from '../../sessions/session-liveness.js';
import { SessionParticipants } from '../../oidc/logout/session-participants.js';
import { oidcMetadataOf } from '../../oidc/oidc-client-metadata.js';
import { authorizationResponseUrl } from './authorization-response.js';
import { AuthorizePageError, ConsentRequired, LoginRequired } from './authorize-errors.js';
import { setRedirectTarget } from './authorize-target.js';
import { InvalidRequest } from '../../common/errors/oauth-error.js';
import { PushedRequestStore } from '../par/pushed-request.store.js';
import { PendingAuthorizationStore, type PendingAuthorization } from './pending-authorization.store.js';

/** 302 after GET; 303 after a POST that may carry credentials (R-AUTHZ-16). */
export const redirectStatus = (request: FastifyRequest): 302 | 303 => (request.method === 'POST' ? 303 : 302);

/**
 * What happens after the request is validated (and again after login or consent): sign-in if
 * needed (prompt=login, max_age), consent if needed (prompt=consent, remembered grants,
 * first-party clients), then a code by redirect. prompt=none never shows a page.
 */
@Injectable()
export class AuthorizeFlowService {
  constructor(
    private readonly config: AppConfig,
    private readonly clients: ClientRegistry,
    private readonly sessions: OwnerSessionService,
    private readonly pendings: PendingAuthorizationStore,
    private readonly consents: ConsentService,
    private readonly codes: AuthorizationCodeStore,
    private readonly owners: OwnersService,
    private readonly pushed: PushedRequestStore,
    private readonly participants: SessionParticipants,
  ) {}

  /** Loads a pending request for the login/consent pages; a bad id or another browser → page. */
  async resume(
    request: FastifyRequest,
    id: unknown,
  ): Promise<{ id: string; pending: PendingAuthorization; client: ClientEntity }> {
    const pending = await this.pendings.load(id);
    const browserId = this.sessions.presentedBrowserId(request);
    if (!pending || browserId === null || pending.browserId !== browserId) {
      throw new AuthorizePageError(
        'this sign-in request has expired or was started in another browser; start again from the application',
      );
    }
    const client = await this.clients.find(pending.clientId);
    if (!client || client.disabled) {
      throw new AuthorizePageError('unknown client', 400, 'invalid_client');
    }
    setRedirectTarget(request, () => ({ redirectUri: pending.redirectUri, state: pending.state }));
    return { id: id as string, pending, client };
  }

  async proceed(
    request: FastifyRequest,
    reply: FastifyReply,
    pending: PendingAuthorization,
    client: ClientEntity,
    pendingId?: string,
  ): Promise<FastifyReply> {
    const status = redirectStatus(request);
    const presented = await this.sessions.current(request);
    // The owner check and the consent lookup are independent reads: one round trip, not two.
    const [live, covering] = await Promise.all([
      this.isLive(presented),
      presented
        ? this.consents.covering(presented.ownerId, client.clientId, pending.scopes, pending.resources)
        : null,
    ]);
    const session = live ? presented : null;
    if (this.needsLogin(pending, session)) {
      if (pending.prompt.includes('none')) {
        throw new LoginRequired();
      }
      const id = await this.pendings.save({ ...pending, loginDone: false }, pendingId);
      return reply.redirect(`/login?req=${encodeURIComponent(id)}`, status);
    }
    const owner = session as OwnerSession;
    let grant = covering;
    const consentWanted = pending.prompt.includes('consent') && !pending.consentDone;
    if (!client.firstParty && (consentWanted || !grant)) {
      if (pending.prompt.includes('none')) {
        throw new ConsentRequired();
      }
      const id = await this.pendings.save(pending, pendingId);
      return reply.redirect(`/consent?req=${encodeURIComponent(id)}`, status);
    }
    if (pending.pushedHandle && !(await this.pushed.consume(pending.pushedHandle))) {
      // R-PAR-8: one code per request_uri, whichever browser gets here first.
      throw new InvalidRequest('the request_uri was already used or has expired');
    }
    if (grant) {
      await this.consents.touch(grant);
    } else {
      // First-party clients skip the page but the grant is still recorded, so the owner can
      // see and revoke it on /account.
      grant = await this.consents.approve(owner.ownerId, client.clientId, pending.scopes, pending.resources);
    }
    // Step-up (R-MCP-16): the owner just widened the grant, so the code carries all of it (the
    // new refresh token holds the union) and its exchange replaces the older families.
    // Scopes the client may no longer ask for stay out of the union.
    const stepUp = pending.stepUp === true;
    const union = (asked: string[], granted: string[]): string[] =>
      stepUp ? [...new Set([...asked, ...granted])] : asked;
    const allowedScopes = client.scope.split(' ');
    const code = await this.codes.issue({
      clientId: client.clientId,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
      codeChallengeMethod: 'S256',
      scope: union(
        pending.scopes,
        grant.scopes.filter((x) => allowedScopes.includes(x)),
      ).join(' '),
      resources: union(pending.resources, grant.resources),
      ...(stepUp ? { replacesFamilies: true } : {}),
      ownerId: owner.ownerId,
      authTime: owner.authTime,
      consentGrantId: grant.id,
      codeId: randomUUID(),
      ...(pending.dpopJkt ? { dpopJkt: pending.dpopJkt } : {}),
      sid: owner.sid,
      ...(pending.nonce === undefined ? {} : { nonce: pending.nonce }),
    });
    // Back-channel logout (R-OIDC-11): this client took part in the session.
    if (oidcMetadataOf(client).backchannel_logout_uri) {
      await this.participants.add(owner.sid, client.clientId, owner.ownerId);
    }
    if (pendingId) {
      await this.pendings.delete(pendingId);
    }
    const location = authorizationResponseUrl(
      pending.redirectUri,
      { code, state: pending.state },
      this.config.issuer,
    );
    return reply.header('Cache-Control', 'no-store').redirect(location, status);
  }

  /** False when there is no session, or its owner was disabled, deleted or changed password since. */
  private async isLive(session: OwnerSession | null): Promise<boolean> {
    if (!session) {
      return false;
    }
    return isSessionLive(session, await this.owners.find(session.ownerId));
  }

  private needsLogin(pending: PendingAuthorization, session: OwnerSession | null): boolean {
    if (!session) {
      return true;
    }
    if (pending.loginDone) {
      return false; // signed in during this request: prompt=login, max_age (even 0) and the hint are met
    }
    if (pending.prompt.includes('login') && !pending.loginDone) {
      return true;
    }
    // R-OIDC-6: the RP expects another owner (id_token_hint); sign in again (login_required with none).
    if (pending.hintSubject !== undefined && pending.hintSubject !== session.ownerId && !pending.loginDone) {
      return true;
    }
    return pending.maxAge !== undefined && Math.floor(Date.now() / 1000) - session.authTime > pending.maxAge;
  }
}
