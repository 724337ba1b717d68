import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig, type ScopeDescription } from '../../config/app-config.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';
import { normalizeResource } from '../../back-channel/grants/resource.js';
import { ResourceEntity } from './resource.entity.js';

const CHANNEL = 'resources:changed';

/** The registry as one immutable snapshot: lookups on it are synchronous map reads. */
export class ResourceCatalog {
  private readonly byIdentifier = new Map<string, ResourceEntity>();
  private readonly owners = new Map<string, ResourceEntity>();
  readonly scopes: ScopeDescription[];

  constructor(resources: readonly ResourceEntity[], serverScopes: readonly ScopeDescription[]) {
    for (const resource of resources) {
      this.byIdentifier.set(resource.identifier, resource);
      for (const scope of resource.scopes) {
        this.owners.set(scope.name, resource);
      }
    }
    // SCOPES' order first, then scopes only resources define; a resource's wording wins.
    const all = new Map<string, ScopeDescription>();
    for (const s of serverScopes) {
      all.set(s.name, s);
    }
    for (const resource of resources) {
      for (const s of resource.scopes) {
        all.set(s.name, { name: s.name, description: s.description });
      }
    }
    this.scopes = [...all.values()];
  }

  /** The registered resource for a `resource` value (compared as normalizeResource does). */
  find(value: string): ResourceEntity | undefined {
    const normalised = normalizeResource(value);
    return normalised === null ? undefined : this.byIdentifier.get(normalised);
  }

  /** The resource that defines `scope`, if any (server scopes such as openid belong to none). */
  ownerOf(scope: string): ResourceEntity | undefined {
    return this.owners.get(scope);
  }

  get resources(): ResourceEntity[] {
    return [...this.byIdentifier.values()];
  }

  scopeNames(): string[] {
    return this.scopes.map((s) => s.name);
  }
}

/**
 * Read side of the resource registry, on the token endpoint's hot path: the whole table (a
 * handful of rows) held in memory as a ResourceCatalog. Writers call `changed()`, which drops
 * the snapshot here and, through the short-lived store's pub/sub, in every other instance and
 * listener; CLIENT_CACHE_TTL bounds staleness if a broadcast is lost (as for clients).
 */
@Injectable()
export class ResourceRegistry implements OnModuleInit {
  private readonly logger = new Logger('ResourceRegistry');
  private snapshot: { catalog: ResourceCatalog; expiresAt: number } | null = null;
  private loading: Promise<ResourceCatalog> | null = null;
  private generation = 0;

  constructor(
    @InjectRepository(ResourceEntity) private readonly repository: Repository<ResourceEntity>,
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.store.subscribe(
      CHANNEL,
      () => this.evict(),
      () => this.evict(),
    );
  }

  private evict(): void {
    this.generation++;
    this.snapshot = null;
    this.loading = null;
  }

  /** The current catalog; reads the table only when the snapshot is missing or stale. */
  async catalog(): Promise<ResourceCatalog> {
    const now = Date.now();
    if (this.snapshot && this.snapshot.expiresAt > now) {
      return this.snapshot.catalog;
    }
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<ResourceCatalog> {
    const readAt = this.generation;
    try {
      const rows = await this.repository.find({ order: { identifier: 'ASC' } });
      const catalog = new ResourceCatalog(rows, this.config.scopes);
      const ttl = this.config.env.CLIENT_CACHE_TTL;
      if (readAt === this.generation && ttl > 0) {
        this.snapshot = { catalog, expiresAt: Date.now() + ttl * 1000 };
      }
      return catalog;
    } finally {
      if (readAt === this.generation) {
        this.loading = null;
      }
    }
  }

  /** Call after any write to a resource; a failed broadcast is logged, not thrown. */
  async changed(): Promise<void> {
    this.evict();
    await this.store.publish(CHANNEL, '*').catch((err: unknown) => {
      this.logger.warn(
        `resource change not broadcast (${String(err)}); other instances within CLIENT_CACHE_TTL`,
      );
    });
  }
}
