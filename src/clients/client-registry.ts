import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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
 * the short-lived store's pub/sub, in every other instance and listener. CLIENT_CACHE_TTL
 * bounds staleness if an invalidation message is lost (e.g. during a Redis outage).
 */
@Injectable()
export class ClientRegistry implements OnModuleInit {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    @InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>,
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.store.subscribe(CHANNEL, (clientId) => this.cache.delete(clientId));
  }

  /** The client, or null when unknown. Disabled clients are returned; callers decide. */
  async find(clientId: string): Promise<ClientEntity | null> {
    if (clientId.length === 0 || clientId.length > 64) {
      return null;
    }
    const now = Date.now();
    const hit = this.cache.get(clientId);
    if (hit && hit.expiresAt > now) {
      return hit.client;
    }
    const client = await this.clients.findOneBy({ clientId });
    if (this.config.env.CLIENT_CACHE_TTL > 0) {
      if (this.cache.size > 10_000) {
        this.cache.clear(); // bounded: a flood of unknown ids cannot grow memory
      }
      this.cache.set(clientId, { client, expiresAt: now + this.config.env.CLIENT_CACHE_TTL * 1000 });
    }
    return client;
  }

  /** Call after any write to a client (create, update, secret rotation, delete). */
  async changed(clientId: string): Promise<void> {
    this.cache.delete(clientId);
    await this.store.publish(CHANNEL, clientId);
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
