import { Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ClientAuthenticator } from '../back-channel/client-auth/client-authenticator.js';
import { CLIENT_AUTH_PARAMETERS } from '../back-channel/client-auth/client-auth-method.js';
import { MethodNotAllowed, readOAuthForm } from '../back-channel/http/oauth-form.js';
import { InvalidScope, UnauthorizedClient } from '../common/errors/oauth-error.js';
import { AppConfig } from '../config/app-config.js';
import { narrowScope } from '../back-channel/grants/scope.js';
import { AudiencePolicy } from '../resources/registry/audience-policy.js';
import { DeviceCodeStore } from './device-code.store.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** RFC 8628 §3.2 device authorization response. */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/**
 * RFC 8628 §3.1 POST /device_authorization: client authentication exactly as at /token (public
 * clients by client_id); the client must be registered for the device_code grant; `scope` ⊆
 * the client's scope (omitted: all of it); each `resource` one of the client's resources.
 */
@Controller('device_authorization')
export class DeviceAuthorizationController {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly devices: DeviceCodeStore,
    private readonly config: AppConfig,
    private readonly audiences: AudiencePolicy,
  ) {}

  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async authorize(@Req() request: FastifyRequest): Promise<DeviceAuthorizationResponse> {
    const form = readOAuthForm(
      request,
      ['scope', 'resource', ...CLIENT_AUTH_PARAMETERS],
      new Set(['resource']),
    );
    const { client } = await this.authenticator.authenticate(request, form);
    if (!(client.grantTypes as string[]).includes(DEVICE_CODE_GRANT)) {
      throw new UnauthorizedClient('the client is not allowed to use the device authorization grant');
    }
    const scope = narrowScope(form.get('scope'), client.scope);
    if (scope === '') {
      throw new InvalidScope('scope is required: the client has no default scope');
    }
    // The audience rules of /authorize (AudiencePolicy): registry, client policy, scope ownership.
    const explicit = form.get('scope') !== undefined;
    const decided = await this.audiences.forAuthorization(
      client,
      form.all('resource'),
      scope.split(' '),
      explicit,
    );
    if (decided.scopes.length === 0) {
      throw new InvalidScope(
        "the client's registered scopes belong to several resources: request a scope or a resource",
      );
    }
    const issued = await this.devices.create({
      clientId: client.clientId,
      scope: decided.scopes.join(' '),
      resources: decided.resources,
    });
    const verificationUri = `${this.config.issuer}/device`;
    return {
      device_code: issued.deviceCode,
      user_code: issued.userCode,
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?user_code=${issued.userCode}`,
      expires_in: issued.expiresIn,
      interval: issued.interval,
    };
  }

  /** R-TOK-1 for this endpoint too: any other method is 405 with Allow: POST. */
  @Get()
  get(): never {
    throw new MethodNotAllowed();
  }
}
