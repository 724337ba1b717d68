import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ClientEntity } from '../clients/client.entity.js';
import { ClientRegistry } from '../clients/client-registry.js';
import { ClientsService } from '../clients/clients.service.js';
import { constantTimeEqual, hashSecret } from '../common/crypto/secret-hash.js';
import {
  Forbidden,
  InvalidClientMetadata,
  InvalidToken,
  NotFound,
  TooManyRequests,
} from '../common/errors/oauth-error.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../store/short-lived-store.js';
import { InitialAccessTokensService } from './initial-access-tokens.service.js';
import { bearerToken, parseRegistrationBody } from './registration-body.js';
import { toRegistrationResponse, type RegistrationResponse } from './registration-response.js';
import { settingsFromRegistration, type RegistrationTrust } from './registration-settings.js';

export interface RegistrationRequest {
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
  ip: string;
}

const REALM = 'tessera-registration';

/** RFC 7591 registration and RFC 7592 management under REGISTRATION_POLICY. */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly clients: ClientsService,
    private readonly registry: ClientRegistry,
    private readonly initialTokens: InitialAccessTokensService,
    private readonly config: AppConfig,
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /** POST /register (RFC 7591 §3.1). */
  async register(req: RegistrationRequest): Promise<RegistrationResponse> {
    this.assertEnabled();
    const presented = bearerToken(req.authorization);
    if (req.authorization !== undefined && !presented) {
      throw new InvalidToken('malformed Authorization header', REALM);
    }
    // token: an initial access token is required. open: optional; with one, the trusted rules apply.
    const initial = presented ? await this.initialTokens.check(presented) : null;
    if (presented && !initial) {
      throw new InvalidToken('invalid, expired or used-up initial access token', REALM);
    }
    if (!initial && this.config.env.REGISTRATION_POLICY === 'token') {
      throw new InvalidToken('an initial access token is required', REALM);
    }
    const trust: RegistrationTrust = initial ? 'trusted' : 'open';
    if (trust === 'open') {
      await this.rateLimit(req.ip);
    }
    const dto = parseRegistrationBody(req.contentType, req.body, { update: false });
    const settings = settingsFromRegistration(dto, trust, this.config, await this.clients.knownScopes());
    // Validate before spending a use of the initial access token.
    await this.clients.check(settings);
    if (initial && !(await this.initialTokens.consume(initial))) {
      throw new InvalidToken('invalid, expired or used-up initial access token', REALM);
    }
    const { client, secret, registrationToken } = await this.clients.create(settings, {
      dynamic: true,
      actor: initial ? { type: 'initial_access_token', id: initial.id } : { type: 'anonymous', id: null },
    });
    return toRegistrationResponse(client, this.config.issuer, { secret, registrationToken });
  }

  /** GET /register/:client_id (RFC 7592 §2.1). */
  async read(clientId: string, authorization: string | undefined): Promise<RegistrationResponse> {
    const client = await this.authenticate(clientId, authorization);
    return toRegistrationResponse(client, this.config.issuer);
  }

  /** PUT /register/:client_id (RFC 7592 §2.2): full replacement; omitted fields are reset. */
  async replace(clientId: string, req: RegistrationRequest): Promise<RegistrationResponse> {
    const client = await this.authenticate(clientId, req.authorization);
    if (client.disabled) {
      throw new Forbidden('this client was disabled by an administrator');
    }
    const dto = parseRegistrationBody(req.contentType, req.body, { update: true });
    if (dto.client_id !== client.clientId) {
      throw new InvalidClientMetadata('client_id must be present and equal the registered client_id');
    }
    if (dto.client_secret !== undefined && !this.registry.verifySecret(client, dto.client_secret)) {
      throw new InvalidClientMetadata('client_secret does not match the current secret');
    }
    const trust: RegistrationTrust = this.config.env.REGISTRATION_POLICY === 'open' ? 'open' : 'trusted';
    const settings = settingsFromRegistration(dto, trust, this.config, await this.clients.knownScopes());
    const { client: updated, secret } = await this.clients.update(client.clientId, settings, {
      type: 'client',
      id: client.clientId,
    });
    return toRegistrationResponse(updated, this.config.issuer, { secret });
  }

  /** DELETE /register/:client_id (RFC 7592 §2.3): the client, its secret and token stop working. */
  async remove(clientId: string, authorization: string | undefined): Promise<void> {
    const client = await this.authenticate(clientId, authorization);
    await this.clients.delete(client.clientId, { type: 'client', id: client.clientId });
  }

  /** Decision: with REGISTRATION_POLICY=disabled the endpoints do not exist (404). */
  private assertEnabled(): void {
    if (this.config.env.REGISTRATION_POLICY === 'disabled') {
      throw new NotFound('dynamic client registration is disabled');
    }
  }

  /** OPEN_REGISTRATION_RATE_LIMIT registrations per IP per hour (R-SEC-6). */
  private async rateLimit(ip: string): Promise<void> {
    const key = `register:open:${ip}`;
    const count = await this.store.increment(key, 3600);
    if (count > this.config.env.OPEN_REGISTRATION_RATE_LIMIT) {
      this.metrics?.throttled.inc({ limiter: 'registration' });
      const retry = (await this.store.ttl(key)) ?? 3600;
      throw new TooManyRequests('too many registrations from this address, retry later').withHeader(
        'Retry-After',
        String(Math.max(1, retry)),
      );
    }
  }

  /** R-REG-11/R-REG-15: the registration access token as a bearer token, else 401 invalid_token. */
  private async authenticate(clientId: string, authorization: string | undefined): Promise<ClientEntity> {
    this.assertEnabled();
    const presented = bearerToken(authorization);
    if (!presented) {
      throw new InvalidToken('a registration access token is required', REALM);
    }
    const client = await this.registry.findRegistered(clientId);
    const expected = client?.registrationTokenHash ?? hashSecret('');
    const genuine = constantTimeEqual(hashSecret(presented), expected);
    if (!client || !client.registrationTokenHash || !genuine) {
      throw new InvalidToken('invalid registration access token', REALM);
    }
    return client;
  }
}
