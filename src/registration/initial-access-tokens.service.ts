import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditWriter } from '../audit/audit-writer.js';
import { Transactions } from '../database/transactions.js';
import { constantTimeEqual, generateSecret, hashSecret } from '../common/crypto/secret-hash.js';
import { NotFound } from '../common/errors/oauth-error.js';
import { InitialAccessTokenEntity } from './initial-access-token.entity.js';

export interface IssuedInitialAccessToken {
  entity: InitialAccessTokenEntity;
  /** `<id>.<secret>`, shown once. */
  token: string;
}

/** Issues, lists, revokes and atomically consumes RFC 7591 initial access tokens. */
@Injectable()
export class InitialAccessTokensService {
  constructor(
    @InjectRepository(InitialAccessTokenEntity) private readonly tokens: Repository<InitialAccessTokenEntity>,
    private readonly tx: Transactions,
    private readonly audit: AuditWriter,
  ) {}

  async issue(options: { expiresIn?: number; maxUses?: number }): Promise<IssuedInitialAccessToken> {
    const now = new Date();
    const id = generateSecret(12); // 16 characters, no '.'
    const token = `${id}.${generateSecret()}`;
    const entity = this.tokens.create({
      id,
      tokenHash: hashSecret(token),
      expiresAt: options.expiresIn ? new Date(now.getTime() + options.expiresIn * 1000) : null,
      maxUses: options.maxUses ?? null,
      uses: 0,
      revokedAt: null,
      createdAt: now,
    });
    await this.tx.run(async (m) => {
      await m.save(entity);
      await this.audit.record(m, {
        type: 'initial_access_token.created',
        subject: { type: 'initial_access_token', id },
        data: { expires_at: entity.expiresAt?.toISOString() ?? null, max_uses: entity.maxUses },
      });
    });
    return { entity, token };
  }

  async list(limit: number, offset: number): Promise<{ items: InitialAccessTokenEntity[]; total: number }> {
    const [items, total] = await this.tokens.findAndCount({
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total };
  }

  async revoke(id: string): Promise<void> {
    const token = id.length <= 64 ? await this.tokens.findOneBy({ id }) : null;
    if (!token) {
      throw new NotFound('initial access token not found');
    }
    if (!token.revokedAt) {
      await this.tx.run(async (m) => {
        await m.update(InitialAccessTokenEntity, { id }, { revokedAt: new Date() });
        await this.audit.record(m, {
          type: 'initial_access_token.revoked',
          subject: { type: 'initial_access_token', id },
        });
      });
    }
  }

  /** The token's row when it is genuine, unrevoked, unexpired and has uses left; no side effect. */
  async check(presented: string, now = new Date()): Promise<InitialAccessTokenEntity | null> {
    const id = presented.split('.', 1)[0] ?? '';
    if (id.length === 0 || id.length > 64 || presented.length > 200) {
      return null;
    }
    const row = await this.tokens.findOneBy({ id });
    // Constant-time compare of the hash (R-SEC-8); a missing row still costs a compare.
    const genuine = constantTimeEqual(hashSecret(presented), row?.tokenHash ?? hashSecret(''));
    if (!row || !genuine || row.revokedAt) {
      return null;
    }
    if (row.expiresAt && row.expiresAt <= now) {
      return null;
    }
    return row.maxUses !== null && row.uses >= row.maxUses ? null : row;
  }

  /**
   * Uses the token once. Atomic: one conditional UPDATE, so of concurrent registrations
   * racing for the last use exactly one wins (true); the others get false.
   */
  async consume(row: InitialAccessTokenEntity, now = new Date()): Promise<boolean> {
    return this.tx.run(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(InitialAccessTokenEntity)
        .set({ uses: () => 'uses + 1' })
        .where('id = :id', { id: row.id })
        .andWhere('revoked_at IS NULL')
        .andWhere('(expires_at IS NULL OR expires_at > :now)', { now: now.getTime() })
        .andWhere('(max_uses IS NULL OR uses < max_uses)')
        .execute();
      if (result.affected !== 1) {
        return false;
      }
      await this.audit.record(m, {
        type: 'initial_access_token.used',
        subject: { type: 'initial_access_token', id: row.id },
        actor: { type: 'initial_access_token', id: row.id },
        data: { uses: row.uses + 1 },
      });
      return true;
    });
  }
}
