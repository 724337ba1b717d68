import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import type { AuditEventType } from '../audit/audit-event-types.js';
import { AuditWriter } from '../audit/audit-writer.js';
import { KeyEncryption } from '../common/crypto/key-encryption.js';
import { generateSecret } from '../common/crypto/secret-hash.js';
import { InvalidRequest, NotFound } from '../common/errors/oauth-error.js';
import { AppConfig } from '../config/app-config.js';
import { Transactions } from '../database/transactions.js';
import { literalTargetProblem } from '../outbound/address-policy.js';
import { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

export interface EndpointInput {
  url: string;
  /** `['*']` for every type. */
  eventTypes: string[];
  disabled?: boolean;
}

/** `*`, or ` a b c ` (space-delimited with outer spaces) so one LIKE finds a type. */
export const storeTypes = (types: string[]): string => (types.includes('*') ? '*' : ` ${types.join(' ')} `);
export const readTypes = (stored: string): string[] => (stored === '*' ? ['*'] : stored.trim().split(' '));

const aad = (id: string): string => `webhook-endpoint:${id}`;

/** Webhook endpoints: the signing secret is encrypted at rest (it has to be read back to sign). */
@Injectable()
export class WebhookEndpointsService {
  private readonly encryption: KeyEncryption;
  private readonly allowPrivate: boolean;

  constructor(
    @InjectRepository(WebhookEndpointEntity) private readonly endpoints: Repository<WebhookEndpointEntity>,
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveryRows: Repository<WebhookDeliveryEntity>,
    private readonly tx: Transactions,
    private readonly audit: AuditWriter,
    config: AppConfig,
  ) {
    this.encryption = new KeyEncryption(config.env.KEY_ENCRYPTION_SECRET);
    this.allowPrivate = config.env.OUTBOUND_ALLOW_PRIVATE;
  }

  /** Registration-time SSRF check (the fetcher checks the resolved addresses again at send time). */
  private checkUrl(url: string): void {
    if (!url.startsWith('https://') && !this.allowPrivate) {
      throw new InvalidRequest('url must use https');
    }
    const problem = literalTargetProblem(url, this.allowPrivate);
    if (problem) {
      throw new InvalidRequest(`url ${problem}`);
    }
  }

  /** Creates an endpoint; the plain secret is returned here only. */
  async create(input: EndpointInput): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    this.checkUrl(input.url);
    const now = new Date();
    const id = randomUUID();
    const secret = `whsec_${generateSecret(32)}`;
    const endpoint = Object.assign(new WebhookEndpointEntity(), {
      id,
      url: input.url,
      eventTypes: storeTypes(input.eventTypes),
      secretEncrypted: this.encryption.encrypt(Buffer.from(secret, 'utf8'), aad(id)),
      disabled: input.disabled ?? false,
      createdAt: now,
      updatedAt: now,
    });
    await this.tx.run(async (m) => {
      await m.insert(WebhookEndpointEntity, endpoint);
      await this.record(m, 'webhook.endpoint_created', endpoint);
    });
    return { endpoint, secret };
  }

  async get(id: string): Promise<WebhookEndpointEntity> {
    const endpoint = await this.endpoints.findOneBy({ id });
    if (!endpoint) {
      throw new NotFound('webhook endpoint not found');
    }
    return endpoint;
  }

  list(): Promise<WebhookEndpointEntity[]> {
    return this.endpoints.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async update(id: string, input: Partial<EndpointInput>): Promise<WebhookEndpointEntity> {
    const endpoint = await this.get(id);
    if (input.url !== undefined) {
      this.checkUrl(input.url);
      endpoint.url = input.url;
    }
    if (input.eventTypes !== undefined) {
      endpoint.eventTypes = storeTypes(input.eventTypes);
    }
    if (input.disabled !== undefined) {
      endpoint.disabled = input.disabled;
    }
    endpoint.updatedAt = new Date();
    await this.tx.run(async (m) => {
      await m.save(endpoint);
      await this.record(m, 'webhook.endpoint_updated', endpoint);
    });
    return endpoint;
  }

  /** Deletes the endpoint and its queued deliveries. */
  async delete(id: string): Promise<void> {
    const endpoint = await this.get(id);
    await this.tx.run(async (m) => {
      await m.delete(WebhookDeliveryEntity, { endpointId: id });
      await m.delete(WebhookEndpointEntity, { id });
      await this.record(m, 'webhook.endpoint_deleted', endpoint);
    });
  }

  /** The plain signing secret (dispatcher only). */
  secretOf(endpoint: WebhookEndpointEntity): string {
    return this.encryption.decrypt(endpoint.secretEncrypted, aad(endpoint.id)).toString('utf8');
  }

  /** Newest first. */
  deliveries(endpointId: string, limit: number): Promise<WebhookDeliveryEntity[]> {
    return this.deliveryRows.find({ where: { endpointId }, order: { id: 'DESC' }, take: limit });
  }

  private record(m: EntityManager, type: AuditEventType, endpoint: WebhookEndpointEntity): Promise<void> {
    return this.audit.record(m, {
      type,
      subject: { type: 'webhook_endpoint', id: endpoint.id },
      // The origin only: webhook URLs often carry a secret in their path or query.
      data: {
        url_origin: new URL(endpoint.url).origin,
        event_types: readTypes(endpoint.eventTypes),
        disabled: endpoint.disabled,
      },
    });
  }
}
