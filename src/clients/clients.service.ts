import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Raw, Repository, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { Actor } from '../audit/audit-context.js';
import type { AuditEventType } from '../audit/audit-event-types.js';
import { AuditWriter } from '../audit/audit-writer.js';
import { Transactions } from '../database/transactions.js';
import { generateSecret, hashSecret } from '../common/crypto/secret-hash.js';
import { InvalidClientMetadata, InvalidRequest, NotFound } from '../common/errors/oauth-error.js';
import { AppConfig } from '../config/app-config.js';
import { literalTargetProblem } from '../outbound/address-policy.js';
import { RefreshTokenService } from '../tokens/refresh-tokens/refresh-token.service.js';
import { ResourceRegistry } from '../resources/registry/resource-registry.js';
import { ClientRegistry } from './client-registry.js';
import { assertClientRules, normaliseScope, usesSecret } from './client-metadata.rules.js';
import { assertOidcClientMetadata } from '../oidc/oidc-client-metadata.js';
import { idTokenAlgs } from '../oidc/id-token-algs.js';
import {
  ClientEntity,
  type AccessTokenFormat,
  type ClientExtraMetadata,
  type GrantType,
  type TokenEndpointAuthMethod,
} from './client.entity.js';

/** Everything a client registration stores, defaults applied (camelCase, as in the entity). */
export interface ClientSettings {
  clientName: string;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  redirectUris: string[];
  grantTypes: GrantType[];
  responseTypes: string[];
  scope: string;
  allowedResources: string[];
  /** Audience of tokens requested without `resource` (registered resource); default null. */
  defaultResource?: string | null;
  jwks: { keys: Record<string, unknown>[] } | null;
  jwksUri: string | null;
  accessTokenTtl: number | null;
  refreshTokenTtl: number | null;
  accessTokenFormat: AccessTokenFormat;
  refreshTokenRotation: boolean;
  canIntrospect: boolean;
  firstParty: boolean;
  disabled: boolean;
  metadata: ClientExtraMetadata;
}

export interface ClientListQuery {
  limit: number;
  offset: number;
  name?: string;
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  disabled?: boolean;
}

/** A write result: the stored client plus credentials shown exactly once. */
export interface ClientWriteResult {
  client: ClientEntity;
  /** Plain client secret, only when one was just issued. */
  secret: string | null;
  /** Plain RFC 7592 registration access token, only when one was just issued. */
  registrationToken: string | null;
}

/** client_id: 128 random bits, base64url (22 characters); never chosen by the client (R-REG-9). */
const newClientId = (): string => generateSecret(16);

/**
 * Writes to the clients table (the admin API and dynamic registration share it). Every write
 * validates the shared rules and ends with ClientRegistry.changed(id) so caches follow.
 */
@Injectable()
export class ClientsService {
  constructor(
    @InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>,
    private readonly registry: ClientRegistry,
    private readonly config: AppConfig,
    private readonly refreshTokens: RefreshTokenService,
    private readonly resources: ResourceRegistry,
    private readonly tx: Transactions,
    private readonly audit: AuditWriter,
  ) {}

  async create(
    settings: ClientSettings,
    options: { dynamic?: boolean; actor?: Actor } = {},
  ): Promise<ClientWriteResult> {
    await this.validate(settings);
    const now = new Date();
    const client = this.clients.create({
      ...settings,
      scope: normaliseScope(settings.scope),
      clientId: newClientId(),
      secretHash: null,
      previousSecretHash: null,
      previousSecretExpiresAt: null,
      registrationTokenHash: null,
      dynamicallyRegistered: options.dynamic === true,
      createdAt: now,
      updatedAt: now,
    });
    // R-CAUTH-12: AS-generated, 256 bits, stored only as a SHA-256 hash.
    const secret = usesSecret(settings.tokenEndpointAuthMethod) ? generateSecret() : null;
    client.secretHash = secret ? hashSecret(secret) : null;
    const registrationToken = options.dynamic ? generateSecret() : null;
    client.registrationTokenHash = registrationToken ? hashSecret(registrationToken) : null;
    await this.tx.run(async (m) => {
      await m.save(client);
      await this.record(m, 'client.created', client, options.actor, {
        client_name: client.clientName,
        token_endpoint_auth_method: client.tokenEndpointAuthMethod,
        grant_types: client.grantTypes,
        dynamically_registered: client.dynamicallyRegistered,
      });
    });
    await this.registry.changed(client.clientId);
    return { client, secret, registrationToken };
  }

  async get(clientId: string): Promise<ClientEntity> {
    const client = clientId.length <= 64 ? await this.clients.findOneBy({ clientId }) : null;
    if (!client) {
      throw new NotFound('client not found');
    }
    return client;
  }

  async list(query: ClientListQuery): Promise<{ items: ClientEntity[]; total: number }> {
    const where: FindOptionsWhere<ClientEntity> = {};
    if (query.name) {
      const pattern = `%${query.name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.clientName = Raw((alias) => `LOWER(${alias}) LIKE :name ESCAPE '\\'`, { name: pattern });
    }
    if (query.tokenEndpointAuthMethod) {
      where.tokenEndpointAuthMethod = query.tokenEndpointAuthMethod;
    }
    if (query.disabled !== undefined) {
      where.disabled = query.disabled;
    }
    const [items, total] = await this.clients.findAndCount({
      where,
      order: { createdAt: 'ASC', clientId: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total };
  }

  /** Partial update (admin PATCH) or full replacement (RFC 7592 PUT: pass every field). */
  async update(
    clientId: string,
    changes: Partial<ClientSettings>,
    actor?: Actor,
  ): Promise<ClientWriteResult> {
    const client = await this.get(clientId);
    const changed = (Object.keys(changes) as (keyof ClientSettings)[]).filter(
      (k) => changes[k] !== undefined && JSON.stringify(changes[k]) !== JSON.stringify(client[k]),
    );
    const wasSecretClient = usesSecret(client.tokenEndpointAuthMethod);
    Object.assign(client, changes);
    client.scope = normaliseScope(client.scope);
    await this.validate(client);
    let secret: string | null = null;
    if (!usesSecret(client.tokenEndpointAuthMethod)) {
      client.secretHash = null;
      client.previousSecretHash = null;
      client.previousSecretExpiresAt = null;
    } else if (!wasSecretClient || !client.secretHash) {
      secret = generateSecret();
      client.secretHash = hashSecret(secret);
    }
    client.updatedAt = new Date();
    await this.tx.run(async (m) => {
      await m.save(client);
      await this.record(m, 'client.updated', client, actor, { changed, secret_issued: secret !== null });
    });
    await this.registry.changed(clientId);
    return { client, secret, registrationToken: null };
  }

  async delete(clientId: string, actor?: Actor): Promise<void> {
    const client = await this.get(clientId);
    // RFC 7592 §2.3 / R-REG-14: every grant of the client ends with it (access tokens included).
    await this.refreshTokens.revokeFamiliesOf({ clientId: client.clientId }, 'client_deleted');
    await this.tx.run(async (m) => {
      await m.delete(ClientEntity, { clientId: client.clientId });
      await this.record(m, 'client.deleted', client, actor, { client_name: client.clientName });
    });
    await this.registry.changed(clientId);
  }

  /**
   * Issues a new secret; the previous one stays valid for CLIENT_SECRET_ROTATION_GRACE
   * seconds (ClientRegistry.verifySecret honours it).
   */
  async rotateSecret(clientId: string): Promise<ClientWriteResult> {
    const client = await this.get(clientId);
    if (!usesSecret(client.tokenEndpointAuthMethod)) {
      throw new InvalidRequest(
        `client uses token_endpoint_auth_method ${client.tokenEndpointAuthMethod}, which has no secret`,
      );
    }
    const grace = this.config.env.CLIENT_SECRET_ROTATION_GRACE;
    const now = new Date();
    const secret = generateSecret();
    client.previousSecretHash = grace > 0 ? client.secretHash : null;
    client.previousSecretExpiresAt = grace > 0 ? new Date(now.getTime() + grace * 1000) : null;
    client.secretHash = hashSecret(secret);
    client.updatedAt = now;
    await this.tx.run(async (m) => {
      await m.save(client);
      await this.record(m, 'client.secret_rotated', client, undefined, {
        previous_secret_expires_at: client.previousSecretExpiresAt?.toISOString() ?? null,
      });
    });
    await this.registry.changed(clientId);
    return { client, secret, registrationToken: null };
  }

  private record(
    m: EntityManager,
    type: AuditEventType,
    client: ClientEntity,
    actor: Actor | undefined,
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(m, { type, subject: { type: 'client', id: client.clientId }, actor, data });
  }

  /** Validates settings without writing (registration checks before spending a token use). */
  check(settings: ClientSettings): Promise<void> {
    return this.validate(settings);
  }

  /** Every scope a client may register: the server's own (SCOPES) and the registered resources'. */
  async knownScopes(): Promise<string[]> {
    return (await this.resources.catalog()).scopeNames();
  }

  private async validate(settings: ClientSettings): Promise<void> {
    assertClientRules(settings, await this.knownScopes());
    // R-MCP-7: a jwks_uri naming a loopback/private address literal or localhost is refused now;
    // host names are vetted again after resolution whenever the keys are fetched.
    const target = settings.jwksUri
      ? literalTargetProblem(settings.jwksUri, this.config.env.OUTBOUND_ALLOW_PRIVATE)
      : null;
    if (target) {
      throw new InvalidClientMetadata(`jwks_uri: ${target}`);
    }
    assertOidcClientMetadata(settings.metadata, idTokenAlgs(this.config));
    // R-OIDC-13: the same rule for the back-channel logout URI, fetched through the same fetcher.
    const logoutTarget = settings.metadata.backchannel_logout_uri
      ? literalTargetProblem(settings.metadata.backchannel_logout_uri, this.config.env.OUTBOUND_ALLOW_PRIVATE)
      : null;
    if (logoutTarget) {
      throw new InvalidClientMetadata(`backchannel_logout_uri: ${logoutTarget}`);
    }
    // R-RT-6: public clients always rotate refresh tokens.
    if (settings.tokenEndpointAuthMethod === 'none' && !settings.refreshTokenRotation) {
      throw new InvalidClientMetadata('refresh_token_rotation cannot be disabled for public clients');
    }
  }
}
