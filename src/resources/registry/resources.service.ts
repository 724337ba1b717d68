import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Like, Repository } from 'typeorm';
import { Conflict, InvalidRequest, NotFound } from '../../common/errors/oauth-error.js';
import { normalizeResource } from '../../back-channel/grants/resource.js';
import { RefreshTokenFamilyEntity } from '../../tokens/refresh-tokens/refresh-token-family.entity.js';
import { RefreshTokenService } from '../../tokens/refresh-tokens/refresh-token.service.js';
import type { CreateResourceDto, ResourceResponseDto, UpdateResourceDto } from './dto/resource.dto.js';
import { ResourceEntity } from './resource.entity.js';
import { ResourceRegistry } from './resource-registry.js';

export const MAX_IDENTIFIER_LENGTH = 2048;

/** RFC 8707 §2 identifier rule for registration: absolute URI, no fragment, no query, ≤ 2 KB. */
export function identifierProblem(value: string): string | null {
  if (value.length > MAX_IDENTIFIER_LENGTH) {
    return `identifier must be at most ${MAX_IDENTIFIER_LENGTH} characters`;
  }
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value)) {
    return 'identifier must be an absolute URI';
  }
  if (value.includes('#')) {
    return 'identifier must not contain a fragment';
  }
  const normalised = normalizeResource(value);
  if (normalised === null) {
    return 'identifier must be an absolute URI';
  }
  const url = new URL(normalised);
  if (url.search !== '') {
    return 'identifier must not contain a query (RFC 8707 §2)';
  }
  if (url.username !== '' || url.password !== '') {
    return 'identifier must not contain user information';
  }
  return null;
}

export const toResourceResponse = (r: ResourceEntity): ResourceResponseDto => ({
  id: r.id,
  identifier: r.identifier,
  name: r.name,
  scopes: r.scopes,
  access_token_format: r.accessTokenFormat,
  access_token_ttl: r.accessTokenTtl,
  client_policy: r.clientPolicy,
  listed_clients: r.listedClients,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});

/**
 * Writes to the resource registry (admin API, the sample API at start). Every write checks the
 * rules against the whole registry (identifier unique, a scope defined by one resource only)
 * and ends with ResourceRegistry.changed() so every instance's catalog follows.
 */
@Injectable()
export class ResourcesService {
  private readonly logger = new Logger('ResourcesService');

  constructor(
    @InjectRepository(ResourceEntity) private readonly repository: Repository<ResourceEntity>,
    @InjectRepository(RefreshTokenFamilyEntity)
    private readonly families: Repository<RefreshTokenFamilyEntity>,
    private readonly registry: ResourceRegistry,
    private readonly refreshTokens: RefreshTokenService,
  ) {}

  list(): Promise<ResourceEntity[]> {
    return this.repository.find({ order: { createdAt: 'ASC', identifier: 'ASC' } });
  }

  async get(id: string): Promise<ResourceEntity> {
    const found = id.length <= 36 ? await this.repository.findOneBy({ id }) : null;
    if (!found) {
      throw new NotFound('resource not found');
    }
    return found;
  }

  async create(dto: CreateResourceDto): Promise<ResourceEntity> {
    const now = new Date();
    const resource = this.repository.create({
      id: randomUUID(),
      identifier: this.identifier(dto.identifier),
      name: dto.name,
      scopes: dto.scopes ?? [],
      accessTokenFormat: dto.access_token_format ?? null,
      accessTokenTtl: dto.access_token_ttl ?? null,
      clientPolicy: dto.client_policy ?? 'listed',
      listedClients: [...new Set(dto.listed_clients ?? [])],
      createdAt: now,
      updatedAt: now,
    });
    await this.assertUnique(resource);
    await this.save(resource);
    return resource;
  }

  async update(id: string, dto: UpdateResourceDto): Promise<ResourceEntity> {
    const resource = await this.get(id);
    for (const [key, value] of Object.entries(dto)) {
      const nullable = key === 'access_token_format' || key === 'access_token_ttl';
      if (value === null && !nullable) {
        throw new InvalidRequest(`${key} must not be null`);
      }
    }
    if (dto.identifier !== undefined) {
      resource.identifier = this.identifier(dto.identifier);
    }
    resource.name = dto.name ?? resource.name;
    resource.scopes = dto.scopes ?? resource.scopes;
    if (dto.access_token_format !== undefined) {
      resource.accessTokenFormat = dto.access_token_format;
    }
    if (dto.access_token_ttl !== undefined) {
      resource.accessTokenTtl = dto.access_token_ttl;
    }
    resource.clientPolicy = dto.client_policy ?? resource.clientPolicy;
    resource.listedClients = dto.listed_clients ? [...new Set(dto.listed_clients)] : resource.listedClients;
    resource.updatedAt = new Date();
    await this.assertUnique(resource);
    await this.save(resource);
    return resource;
  }

  /**
   * Deletes the resource and revokes every refresh-token grant that names it (with their access
   * tokens); tokens issued for it without a grant (client_credentials JWTs) expire on their own.
   */
  async delete(id: string): Promise<number> {
    const resource = await this.get(id);
    const candidates = await this.families.find({
      select: { id: true, resources: true },
      where: {
        revokedAt: IsNull(),
        resources: Like(`%${JSON.stringify(resource.identifier).slice(1, -1)}%`),
      },
    });
    const doomed = candidates.filter((f) =>
      f.resources.some((r) => normalizeResource(r) === resource.identifier),
    );
    await this.repository.delete({ id: resource.id });
    await this.registry.changed();
    for (const family of doomed) {
      await this.refreshTokens.revokeFamily(family.id);
    }
    return doomed.length;
  }

  /** Registers a resource unless its identifier is already registered (start-up seeding). */
  async ensure(dto: CreateResourceDto): Promise<void> {
    const identifier = this.identifier(dto.identifier);
    if (await this.repository.existsBy({ identifier })) {
      return;
    }
    try {
      await this.create(dto);
      this.logger.log(`registered resource ${identifier}`);
    } catch (err) {
      if (await this.repository.existsBy({ identifier })) {
        return; // another instance seeded it first
      }
      throw err;
    }
  }

  private identifier(value: string): string {
    const problem = identifierProblem(value);
    if (problem) {
      throw new InvalidRequest(problem);
    }
    return normalizeResource(value) as string;
  }

  private async assertUnique(resource: ResourceEntity): Promise<void> {
    const names = resource.scopes.map((s) => s.name);
    if (new Set(names).size !== names.length) {
      throw new InvalidRequest('scopes must not repeat a name');
    }
    const others = (await this.repository.find()).filter((r) => r.id !== resource.id);
    if (others.some((r) => r.identifier === resource.identifier)) {
      throw new Conflict(`a resource with identifier ${resource.identifier} is already registered`);
    }
    for (const other of others) {
      const shared = other.scopes.filter((s) => names.includes(s.name)).map((s) => s.name);
      if (shared.length > 0) {
        throw new Conflict(
          `scope ${shared[0]?.slice(0, 64)} is already defined by resource ${other.identifier}: a scope belongs to one resource`,
        );
      }
    }
  }

  private async save(resource: ResourceEntity): Promise<void> {
    try {
      await this.repository.save(resource);
    } catch (err) {
      if (await this.repository.exists({ where: { identifier: resource.identifier } })) {
        throw new Conflict(`a resource with identifier ${resource.identifier} is already registered`);
      }
      throw err;
    }
    await this.registry.changed();
  }
}
