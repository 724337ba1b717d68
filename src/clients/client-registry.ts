import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ClientIdMetadataResolver } from '../client-id-metadata/client-id-metadata.resolver.js';
import { looksLikeClientIdUrl } from '../client-id-metadata/client-id-url.js';
import { AppConfig } from '../config/app-config.js';
import { verifySecret } from '../common/crypto/secret-hash.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../store/short-lived-store.js';
import { ClientEntity } from './client.entity.js';

const CHANNEL = 'clients:changed';

interface CacheEntry {
  client: ClientEntity | null;
  expiresAt: number;
}

/**
 * Read side of the client registry, on every token request: an in-memory cache in front of
 * the clients table. Writers call `changed(clientId)`, which evicts the entry here and, via
 * the short-lived store's pub/sub, in every other instance and listener (milliseconds). If
 * messages may have been lost (the subscription reconnected after a Redis outage) the whole
 * cache is dropped; CLIENT_CACHE_TTL bounds staleness in every other case.
 */
@Injectable()
export class ClientRegistry implements OnModuleInit {
  private readonly logger = new Logger('ClientRegistry');
  private readonly cache = new Map<string, CacheEntry>();
  /**
   * Bumped on every eviction. A read that started before an eviction must not cache what it
   * read: the row may predate the change the eviction announced.
   */
  private generation = 0;

  constructor(
    @InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>,
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
    private readonly metadataDocuments: ClientIdMetadataResolver,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.store.subscribe(
      CHANNEL,
      (clientId) => this.evict(clientId),
      () => this.evictAll(),
    );
  }

  private evict(clientId: string): void {
    this.generation++;
    this.cache.delete(clientId);
  }

  private evictAll(): void {
    this.generation++;
    this.cache.clear();
  }

  /**
   * The client, or null when unknown. Disabled clients are returned; callers decide. An https
   * client_id is a Client ID Metadata Document URL: resolved by fetching it (cached), and a
   * document that cannot be used throws ClientMetadataDocumentError (invalid_client).
   */
  async find(clientId: string): Promise<ClientEntity | null> {
    if (looksLikeClientIdUrl(clientId)) {
      return this.metadataDocuments.resolve(clientId);
    }
    return this.findRegistered(clientId);
  }

  /** A client stored in the clients table (never a metadata document, never a fetch). */
  async findRegistered(clientId: string): Promise<ClientEntity | null> {
    if (clientId.length === 0 || clientId.length > 64) {
      return null;
    }
    const now = Date.now();
    const hit = this.cache.get(clientId);
    if (hit && hit.expiresAt > now) {
      return hit.client;
    }
    const readAt = this.generation;
    const client = await this.clients.findOneBy({ clientId });
    if (this.config.env.CLIENT_CACHE_TTL > 0 && readAt === this.generation) {
      if (this.cache.size > 10_000) {
        this.cache.clear(); // bounded: a flood of unknown ids cannot grow memory
      }
      this.cache.set(clientId, { client, expiresAt: now + this.config.env.CLIENT_CACHE_TTL * 1000 });
    }
    return client;
  }

  /**
   * Call after any write to a client (create, update, secret rotation, delete). The write is
   * committed by then, so a failed broadcast (Redis down) is logged, not thrown: other
   * instances catch up when their subscription reconnects, or after CLIENT_CACHE_TTL.
   */
  async changed(clientId: string): Promise<void> {
    this.evict(clientId);
    await this.store.publish(CHANNEL, clientId).catch((err: unknown) => {
      this.logger.warn(
        `client change not broadcast (${String(err)}); other instances within CLIENT_CACHE_TTL`,
      );
    });
  }

  /** Current secret, or the previous one during its rotation grace period; constant time. */
  verifySecret(client: ClientEntity, presented: string, now = new Date()): boolean {
    const current = verifySecret(presented, client.secretHash);
    const previous =
      client.previousSecretExpiresAt !== null && client.previousSecretExpiresAt > now
        ? verifySecret(presented, client.previousSecretHash)
        : false;
    return current || previous;
  }
}
