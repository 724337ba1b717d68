import { Injectable } from '@nestjs/common';
import { InvalidGrant, InvalidRequest, OAuthError } from '../../common/errors/oauth-error.js';
import { DEVICE_CODE_GRANT } from '../../device/device-authorization.controller.js';
import { DeviceCodeStore } from '../../device/device-code.store.js';
import { AccessTokenService } from '../../tokens/access-tokens/access-token.service.js';
import { RefreshTokenService } from '../../tokens/refresh-tokens/refresh-token.service.js';
import { AudiencePolicy, type TokenAudience } from '../../resources/registry/audience-policy.js';
import { audienceClaims } from './default-audience.js';
import {
  GrantHandlerProvider,
  type GrantHandler,
  type TokenRequest,
  type TokenResponse,
} from './grant-handler.js';

const INVALID = 'the device code is invalid, already used or was issued to another client';

/** RFC 8628 §3.5 polling errors: 400 like every token error response. */
const pollError = (error: string, description: string): OAuthError => new OAuthError(400, error, description);

/**
 * RFC 8628 §3.4/§3.5 (R-DEV): the device polls with its device code. Pending → authorization_pending;
 * earlier than the interval → slow_down (interval + 5 s); denied → access_denied; past
 * expires_in → expired_token; approved → tokens, once: the approved record is taken atomically,
 * so of concurrent polls only one gets them. Tokens as from an authorization code: a refresh
 * token when the client has that grant, tied to the owner's consent.
 */
@Injectable()
@GrantHandlerProvider()
export class DeviceCodeGrant implements GrantHandler {
  readonly grantType = DEVICE_CODE_GRANT;
  readonly parameters = ['device_code', 'resource'] as const;

  constructor(
    private readonly devices: DeviceCodeStore,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly audiences: AudiencePolicy,
  ) {}

  async handle({ client, params, resources, dpop }: TokenRequest): Promise<TokenResponse> {
    const deviceCode = params.device_code;
    if (deviceCode === undefined) {
      throw new InvalidRequest("missing required parameter 'device_code'");
    }
    const found = await this.devices.find(deviceCode);
    if (!found || found.record.clientId !== client.clientId) {
      throw new InvalidGrant(INVALID);
    }
    const { hash, record } = found;
    if (record.expiresAt <= Date.now()) {
      throw pollError('expired_token', 'the device code has expired; start a new device authorization');
    }
    if (record.status === 'denied') {
      throw pollError('access_denied', 'the owner denied the request');
    }
    const slowDown = await this.devices.tooEarly(hash, record);
    if (slowDown !== null) {
      throw pollError('slow_down', `polling too fast: wait at least ${slowDown} seconds between polls`);
    }
    if (record.status === 'pending') {
      throw pollError('authorization_pending', 'the owner has not decided yet');
    }
    // Checked before the take, so a bad `resource` does not burn the approved code.
    const audience = await this.audiences.forGrant(client, resources, record.resources, record.scope);
    const approved = await this.devices.take(hash);
    if (!approved || approved.status !== 'approved' || !approved.ownerId) {
      throw new InvalidGrant(INVALID, 'device code already redeemed by a concurrent poll');
    }
    return this.issue(client, approved.ownerId, approved, audience, dpop);
  }

  private async issue(
    client: TokenRequest['client'],
    ownerId: string,
    approved: NonNullable<Awaited<ReturnType<DeviceCodeStore['take']>>>,
    audience: TokenAudience,
    dpop: TokenRequest['dpop'],
  ): Promise<TokenResponse> {
    let refreshToken: string | undefined;
    let grantId: string | undefined;
    if (client.grantTypes.includes('refresh_token')) {
      const family = await this.refreshTokens.issueFamily({
        client,
        dpop,
        ownerId,
        scope: approved.scope,
        resources: approved.resources,
        consentGrantId: approved.consentGrantId ?? null,
        authTime: approved.authTime ? new Date(approved.authTime * 1000) : null,
      });
      refreshToken = family.token;
      grantId = family.familyId;
    }
    const access = await this.accessTokens.issue(client, {
      sub: ownerId,
      ...audienceClaims(audience),
      ...(grantId ? { grantId } : {}),
      ...(approved.authTime ? { authTime: approved.authTime } : {}),
      dpop,
    });
    return {
      access_token: access.token,
      token_type: access.tokenType,
      expires_in: access.expiresIn,
      scope: audience.scope,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
  }
}
