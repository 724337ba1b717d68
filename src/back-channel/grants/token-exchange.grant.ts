import { Injectable } from '@nestjs/common';
import { InvalidRequest, InvalidTarget, UnauthorizedClient } from '../../common/errors/oauth-error.js';
import { AccessTokenService, type ActClaim } from '../../tokens/access-tokens/access-token.service.js';
import { RefreshTokenService } from '../../tokens/refresh-tokens/refresh-token.service.js';
import { ExchangeTokens, TOKEN_TYPE_URI, type TokenPrincipal } from '../../token-exchange/exchange-tokens.js';
import { TokenExchangePolicies } from '../../token-exchange/token-exchange-policies.service.js';
import type { TokenExchangePolicyEntity } from '../../token-exchange/token-exchange-policy.entity.js';
import {
  GrantHandlerProvider,
  type GrantHandler,
  type TokenRequest,
  type TokenResponse,
} from './grant-handler.js';
import { normalizeResource, selectResource } from './resource.js';
import { narrowScope } from './scope.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * RFC 8693 token exchange (R-TX-1..5). The client's policy (admin API) says which subject token
 * types and issuers it may exchange, which audiences it may target and whether it may
 * impersonate (no `act`) or delegate (`act` naming the actor token's subject, or the client
 * itself when no actor token is sent; a subject token's own `act` nests inside). No policy: no
 * exchange. The issued access token keeps the subject's `sub`, a scope within the subject's,
 * one audience from the policy, and the subject's grant id, so revoking that grant revokes it.
 * requested_token_type=refresh_token (policy `refresh_tokens`, subject tied to one of our grants):
 * a new grant, child of the subject's, carrying `act`; the access token joins the new grant, and
 * revoking the subject's grant revokes both (RefreshTokenService cascade).
 */
@Injectable()
@GrantHandlerProvider()
export class TokenExchangeGrant implements GrantHandler {
  readonly grantType = TOKEN_EXCHANGE_GRANT;
  readonly parameters = [
    'subject_token',
    'subject_token_type',
    'actor_token',
    'actor_token_type',
    'requested_token_type',
    'scope',
    'resource',
    'audience',
  ] as const;

  constructor(
    private readonly policies: TokenExchangePolicies,
    private readonly tokens: ExchangeTokens,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
  ) {}

  async handle({ client, params, resources, dpop }: TokenRequest): Promise<TokenResponse> {
    const { subject_token: subjectToken, subject_token_type: subjectType } = params;
    const { actor_token: actorToken, actor_token_type: actorType } = params;
    if (!subjectToken || !subjectType) {
      throw new InvalidRequest('subject_token and subject_token_type are required');
    }
    if ((actorToken === undefined) !== (actorType === undefined)) {
      throw new InvalidRequest('actor_token and actor_token_type go together');
    }
    const requested = params.requested_token_type ?? TOKEN_TYPE_URI.access_token;
    const wantsRefresh = requested === TOKEN_TYPE_URI.refresh_token;
    if (requested !== TOKEN_TYPE_URI.access_token && !wantsRefresh) {
      throw new InvalidRequest('requested_token_type must be the access_token or refresh_token type');
    }
    const policy = await this.policies.policyOf(client.clientId);
    if (!policy) {
      throw new UnauthorizedClient('the client has no token exchange policy');
    }
    if (wantsRefresh && !policy.refreshTokens) {
      throw new InvalidRequest(
        'requested_token_type must be urn:ietf:params:oauth:token-type:access_token: this client may not obtain refresh tokens by exchange',
      );
    }
    const subjectKind = this.tokens.typeOf(subjectType, 'subject');
    const actorKind = actorType === undefined ? undefined : this.tokens.typeOf(actorType, 'actor');
    const subject = await this.tokens.resolve(subjectToken, subjectKind, 'subject', client, policy);
    const actor =
      actorToken && actorKind
        ? await this.tokens.resolve(actorToken, actorKind, 'actor', client, policy)
        : null;
    if (wantsRefresh) {
      this.mayRefresh(subject, client);
    }
    const act = this.act(policy, subject, actor, client.clientId);
    const scope = narrowScope(params.scope, subject.scope);
    const audience = this.audience(policy, resources, params.audience);
    const refresh = wantsRefresh
      ? await this.refreshToken(subject, client, scope, audience, act, dpop)
      : null;
    const grantId = refresh?.familyId ?? subject.grantId;
    const issued = await this.accessTokens.issue(client, {
      sub: subject.sub,
      scope,
      audience,
      ...(grantId ? { grantId } : {}),
      ...(act ? { act } : {}),
      dpop,
    });
    return {
      access_token: issued.token,
      issued_token_type: refresh ? TOKEN_TYPE_URI.refresh_token : TOKEN_TYPE_URI.access_token,
      token_type: issued.tokenType,
      expires_in: issued.expiresIn,
      scope,
      ...(refresh ? { refresh_token: refresh.token } : {}),
    };
  }

  /** Refresh tokens only for subjects tied to one of our grants, and clients that can refresh. */
  private mayRefresh(subject: TokenPrincipal, client: TokenRequest['client']): void {
    if (!subject.grantId) {
      throw new InvalidRequest(
        'a refresh token can be issued only for a subject token tied to a grant of this server (a refresh token, or an access token issued from one); this subject token has none',
      );
    }
    if (!(client.grantTypes as string[]).includes('refresh_token')) {
      throw new InvalidRequest('the client is not registered for the refresh_token grant');
    }
  }

  /** A child grant of the subject's; refused for subjects without one of our grants. */
  private async refreshToken(
    subject: TokenPrincipal,
    client: TokenRequest['client'],
    scope: string,
    audience: string,
    act: ActClaim | undefined,
    dpop: TokenRequest['dpop'],
  ): Promise<{ token: string; familyId: string }> {
    if (!subject.grantId) {
      throw new Error('refreshToken() without a subject grant');
    }
    const issued = await this.refreshTokens.issueExchangedFamily({
      client,
      parentFamilyId: subject.grantId,
      scope,
      resources: [audience],
      ...(act ? { act } : {}),
      dpop,
    });
    if (!issued) {
      throw new InvalidRequest(
        'subject_token is invalid, expired or revoked',
        'the subject grant is revoked or expired',
      );
    }
    return issued;
  }

  /** R-TX-4: delegation → `act` (nesting the subject's), impersonation → none; per policy. */
  private act(
    policy: TokenExchangePolicyEntity,
    subject: TokenPrincipal,
    actor: TokenPrincipal | null,
    clientId: string,
  ): ActClaim | undefined {
    if (!actor && policy.impersonation) {
      return subject.act;
    }
    if (!policy.delegation) {
      throw new UnauthorizedClient(
        actor
          ? 'the client may not delegate (actor_token)'
          : 'the client may not impersonate (send an actor_token)',
      );
    }
    const current: ActClaim = actor
      ? {
          sub: actor.sub,
          ...(actor.clientId ? { client_id: actor.clientId } : {}),
          ...(actor.iss ? { iss: actor.iss } : {}),
        }
      : { sub: clientId, client_id: clientId };
    if (subject.mayAct && subject.mayAct.sub !== current.sub) {
      throw new InvalidRequest('the subject token does not allow this actor (may_act)');
    }
    return subject.act ? { ...current, act: subject.act } : current;
  }

  /** One target from `resource` and `audience` together, among the policy's audiences (invalid_target). */
  private audience(
    policy: TokenExchangePolicyEntity,
    resources: string[],
    audience: string | undefined,
  ): string {
    const targets = [...resources, ...(audience === undefined ? [] : [audience])];
    const unique = [...new Set(targets.map((t) => normalizeResource(t) ?? t))];
    if (unique.length === 0) {
      const only = policy.audiences.length === 1 ? policy.audiences[0] : undefined;
      if (!only) {
        throw new InvalidTarget('resource or audience is required');
      }
      return only;
    }
    if (unique.length > 1) {
      throw new InvalidTarget('only one resource or audience per exchanged token');
    }
    return selectResource([targets[0] as string], policy.audiences) as string;
  }
}
