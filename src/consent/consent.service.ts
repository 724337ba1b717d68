import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository, type FindOptionsWhere } from 'typeorm';
import { AuditWriter } from '../audit/audit-writer.js';
import { FixedSql, type FixedStatement } from '../database/fixed-sql.js';
import { Transactions } from '../database/transactions.js';
import { NotFound } from '../common/errors/oauth-error.js';
import { ConsentGrantEntity } from './consent-grant.entity.js';
import { GrantRevocation } from './grant-revocation.js';

const covers = (granted: string[], requested: string[]): boolean =>
  requested.every((v) => granted.includes(v));

/** How stale `last_used_at` may be (see touch()). */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Remembered consent (R-AUTHZ-13): at most one active grant per owner and client. */
@Injectable()
export class ConsentService {
  private readonly logger = new Logger('Consent');

  private readonly sql: FixedSql;
  private readonly activeStatement: FixedStatement;

  constructor(
    @InjectRepository(ConsentGrantEntity) private readonly grants: Repository<ConsentGrantEntity>,
    private readonly revocation: GrantRevocation,
    @InjectDataSource() dataSource: DataSource,
    private readonly tx: Transactions,
    private readonly audit: AuditWriter,
  ) {
    this.sql = new FixedSql(dataSource);
    // Read on every authorization with a session: fixed SQL (docs/bench.md).
    this.activeStatement = this.sql.statement(
      'consent_active',
      `SELECT ${this.sql.selectList(grants.metadata, 'g')} FROM consent_grants g
       WHERE g.owner_id = ? AND g.client_id = ? AND g.revoked_at IS NULL
       ORDER BY g.created_at DESC LIMIT 1`,
    );
  }

  active(ownerId: string, clientId: string): Promise<ConsentGrantEntity | null> {
    return this.sql.one<ConsentGrantEntity>(this.grants.metadata, 'g', this.activeStatement, [
      ownerId,
      clientId,
    ]);
  }

  /** The active grant covering every requested scope and resource, if any. */
  async covering(
    ownerId: string,
    clientId: string,
    scopes: string[],
    resources: string[],
  ): Promise<ConsentGrantEntity | null> {
    const grant = await this.active(ownerId, clientId);
    return grant && covers(grant.scopes, scopes) && covers(grant.resources, resources) ? grant : null;
  }

  /** Records an approval, widening the owner's active grant for the client if there is one. */
  async approve(
    ownerId: string,
    clientId: string,
    scopes: string[],
    resources: string[],
  ): Promise<ConsentGrantEntity> {
    const now = new Date();
    const existing = await this.active(ownerId, clientId);
    let grant: ConsentGrantEntity;
    if (existing) {
      existing.scopes = [...new Set([...existing.scopes, ...scopes])];
      existing.resources = [...new Set([...existing.resources, ...resources])];
      existing.lastUsedAt = now;
      grant = existing;
    } else {
      grant = this.grants.create({
        id: randomUUID(),
        ownerId,
        clientId,
        scopes,
        resources,
        createdAt: now,
        lastUsedAt: now,
        revokedAt: null,
      });
    }
    return this.tx.run(async (m) => {
      const saved = await m.save(grant);
      await this.audit.record(m, {
        type: 'consent.granted',
        subject: { type: 'consent', id: saved.id },
        ownerId,
        actor: { type: 'owner', id: ownerId },
        data: { client_id: clientId, scopes, resources, widened: existing !== null },
      });
      return saved;
    });
  }

  /**
   * Records that the grant allowed another authorization. `last_used_at` is kept to the minute:
   * writing it on every authorization cost a database commit per sign-in (docs/bench.md).
   */
  async touch(grant: ConsentGrantEntity, now = new Date()): Promise<void> {
    if (now.getTime() - grant.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) {
      return;
    }
    await this.grants.update({ id: grant.id }, { lastUsedAt: now });
  }

  async list(
    filter: { ownerId?: string; clientId?: string; includeRevoked?: boolean },
    limit = 100,
    offset = 0,
  ): Promise<ConsentGrantEntity[]> {
    const where: FindOptionsWhere<ConsentGrantEntity> = {};
    if (filter.ownerId) {
      where.ownerId = filter.ownerId;
    }
    if (filter.clientId) {
      where.clientId = filter.clientId;
    }
    if (!filter.includeRevoked) {
      where.revokedAt = IsNull();
    }
    return this.grants.find({ where, order: { createdAt: 'DESC' }, take: limit, skip: offset });
  }

  /**
   * Revokes a grant and everything issued under it (refresh-token families and their access
   * tokens). `ownerId` restricts it to that owner's grants (the account page).
   */
  async revoke(id: string, ownerId?: string): Promise<ConsentGrantEntity> {
    const grant = await this.grants.findOneBy({ id, ...(ownerId ? { ownerId } : {}) });
    if (!grant) {
      throw new NotFound('consent grant not found');
    }
    const actor = ownerId ? { type: 'owner' as const, id: ownerId } : undefined;
    if (!grant.revokedAt) {
      grant.revokedAt = new Date();
      await this.tx.run(async (m) => {
        await m.save(grant);
        await this.audit.record(m, {
          type: 'consent.revoked',
          subject: { type: 'consent', id: grant.id },
          ownerId: grant.ownerId,
          actor,
          data: { client_id: grant.clientId },
        });
      });
      this.logger.log(`consent grant ${grant.id} revoked`);
    }
    await this.revocation.revokeConsentGrant(grant.id, actor);
    return grant;
  }
}
