import { Injectable, Logger } from '@nestjs/common';
import { InvalidGrant, InvalidRequest } from '../../common/errors/oauth-error.js';
import { GrantRevocation } from '../../consent/grant-revocation.js';
import { AccessTokenService } from '../../tokens/access-tokens/access-token.service.js';
import { PKCE_VALUE } from '../../front-channel/authorize/checks/check-pkce.js';
import {
  AuthorizationCodeStore,
  type AuthorizationCodeRecord,
  type IssuedFromCode,
} from '../../tokens/codes/authorization-code.store.js';
import { s256Matches } from '../../tokens/codes/pkce.js';
import { RefreshTokenService } from '../../tokens/refresh-tokens/refresh-token.service.js';
import { AudiencePolicy, type TokenAudience } from '../../resources/registry/audience-policy.js';
import { audienceClaims } from './default-audience.js';
import { IdTokenService } from '../../oidc/id-token.service.js';
import { hasOpenIdScope } from '../../oidc/scopes.js';
import {
  GrantHandlerProvider,
  type GrantHandler,
  type TokenRequest,
  type TokenResponse,
} from './grant-handler.js';

const INVALID_CODE = 'the authorization code is invalid, expired or already used';

/**
 * RFC 6749 §4.1.3 / OAuth 2.1 §4.1.3: exchanges a code for tokens. The client was authenticated
 * (or, if public, identified) by the shared token-endpoint steps.
 */
@GrantHandlerProvider()
@Injectable()
export class AuthorizationCodeGrant implements GrantHandler {
  readonly grantType = 'authorization_code';
  readonly parameters = ['code', 'redirect_uri', 'code_verifier', 'resource'] as const;
  private readonly logger = new Logger('AuthorizationCodeGrant');

  constructor(
    private readonly codes: AuthorizationCodeStore,
    private readonly revocation: GrantRevocation,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly audiences: AudiencePolicy,
    private readonly idTokens: IdTokenService,
  ) {}

  async handle({ client, params, resources, dpop }: TokenRequest): Promise<TokenResponse> {
    const { code, code_verifier: verifier, redirect_uri: redirectUri } = params;
    if (!code) {
      throw new InvalidRequest('code is required');
    }
    // R-PKCE-7: every code carries a challenge, so the verifier is always required.
    if (!verifier) {
      throw new InvalidRequest('code_verifier is required');
    }
    if (!PKCE_VALUE.test(verifier)) {
      throw new InvalidRequest('code_verifier must be 43-128 characters of [A-Za-z0-9-._~]');
    }
    const record = await this.codes.take(code);
    if (!record) {
      await this.detectReplay(code, client.clientId, verifier);
      throw new InvalidGrant(INVALID_CODE);
    }
    if (record.clientId !== client.clientId) {
      throw new InvalidGrant(INVALID_CODE, 'code issued to another client'); // R-CODE-3
    }
    if (redirectUri !== undefined && redirectUri !== record.redirectUri) {
      throw new InvalidGrant('redirect_uri does not match the authorization request'); // R-CODE-7
    }
    if (!s256Matches(verifier, record.codeChallenge)) {
      throw new InvalidGrant('code_verifier does not match the code challenge'); // R-PKCE-8
    }
    if (record.dpopJkt !== undefined && dpop?.jkt !== record.dpopJkt) {
      throw new InvalidGrant('the code is bound to another DPoP key'); // R-DPOP-10
    }
    // One audience per token (R-AT-9): a requested resource must be within the grant
    // (invalid_target otherwise); else the grant's first resource; else the default.
    const audience = await this.audiences.forGrant(client, resources, record.resources, record.scope);
    return this.issue(code, record, audience, client, dpop);
  }

  private async issue(
    code: string,
    record: AuthorizationCodeRecord,
    audience: TokenAudience,
    client: TokenRequest['client'],
    dpop: TokenRequest['dpop'],
  ): Promise<TokenResponse> {
    let refreshToken: string | undefined;
    const issued: IssuedFromCode = { accessGrantId: record.codeId };
    if (client.grantTypes.includes('refresh_token')) {
      if (record.replacesFamilies && record.consentGrantId) {
        // Step-up (R-MCP-16): the new family carries the widened grant; the old ones go.
        await this.refreshTokens.revokeFamiliesOfConsentGrant(record.consentGrantId);
      }
      const family = await this.refreshTokens.issueFamily({
        client,
        dpop,
        ownerId: record.ownerId,
        scope: record.scope,
        resources: record.resources,
        consentGrantId: record.consentGrantId,
        authTime: new Date(record.authTime * 1000),
        sid: record.sid ?? null,
      });
      refreshToken = family.token;
      issued.familyId = family.familyId;
      issued.accessGrantId = family.familyId;
    }
    const access = await this.accessTokens.issue(client, {
      sub: record.ownerId,
      ...audienceClaims(audience),
      grantId: issued.accessGrantId,
      authTime: record.authTime,
      dpop,
    });
    if (await this.codes.recordIssued(code, record, issued)) {
      // A valid replay arrived while we were issuing: what we issued is revoked (R-CODE-5).
      // This redemption still answers 200 (it did win the code, R-CODE-4), with dead tokens.
      await this.revocation.revokeIssued(issued);
      this.logger.warn(
        `authorization code of client ${client.clientId} replayed during redemption: tokens revoked`,
      );
    }
    return {
      access_token: access.token,
      token_type: access.tokenType,
      expires_in: access.expiresIn,
      scope: audience.scope,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      // R-OIDC-1/2/4: an ID token when the request asked for openid, nonce as bound to the code.
      ...(hasOpenIdScope(record.scope)
        ? {
            id_token: this.idTokens.issue({
              client,
              sub: record.ownerId,
              authTime: record.authTime,
              nonce: record.nonce,
              sid: record.sid,
              accessToken: access.token,
            }),
          }
        : {}),
    };
  }

  /**
   * R-CODE-5/6: a replay by the right client with the right verifier revokes everything the
   * first redemption issued; anyone else holding only the code just gets invalid_grant.
   */
  private async detectReplay(code: string, clientId: string, verifier: string): Promise<void> {
    const consumed = await this.codes.consumed(code);
    if (
      !consumed ||
      consumed.record.clientId !== clientId ||
      !s256Matches(verifier, consumed.record.codeChallenge)
    ) {
      return;
    }
    const latest = await this.codes.flagReplay(code);
    this.logger.warn(`authorization code replayed by client ${clientId}: revoking what it issued`);
    const issued = latest?.issued ?? { accessGrantId: consumed.record.codeId };
    await this.revocation.revokeIssued(issued);
  }
}
