import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, MoreThan, Repository, type FindOptionsWhere } from 'typeorm';
import { RefreshTokenFamilyEntity } from './refresh-token-family.entity.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';

export interface FamilyFilter {
  clientId?: string;
  ownerId?: string;
  consentGrantId?: string;
}

class AlreadyUsed extends Error {}

async function markUsed(
  tokens: Repository<RefreshTokenEntity>,
  tokenHash: string,
  now: Date,
): Promise<boolean> {
  const result = await tokens
    .createQueryBuilder()
    .update()
    .set({ usedAt: now })
    .where('token_hash = :tokenHash AND used_at IS NULL', { tokenHash })
    .execute();
  return result.affected === 1;
}

/** All SQL for refresh tokens and their families (one repository per aggregate). */
@Injectable()
export class RefreshTokenRepository {
  constructor(
    @InjectRepository(RefreshTokenEntity) private readonly tokens: Repository<RefreshTokenEntity>,
    @InjectRepository(RefreshTokenFamilyEntity)
    private readonly families: Repository<RefreshTokenFamilyEntity>,
  ) {}

  async insertFamily(family: RefreshTokenFamilyEntity, first: RefreshTokenEntity): Promise<void> {
    // Family first: a token never references a missing family.
    await this.families.insert(family);
    await this.tokens.insert(first);
  }

  /** The token with its family, or null. One indexed read. */
  findByHash(tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.tokens.findOne({ where: { tokenHash }, relations: { family: true } });
  }

  /**
   * One rotation: stores the successor and marks the presented token rotated out, only if
   * nobody did so before (`UPDATE … WHERE used_at IS NULL`; the database serialises concurrent
   * updates of one row, so exactly one caller gets true). False, with no successor stored, when
   * the presented token was already used.
   *
   * On PostgreSQL both statements are one transaction: a crash or a lost connection between
   * them must not leave a successor stored next to a predecessor still valid (a half-rotated
   * family, found by the PostgreSQL restart reliability test). SQLite is in-process with one
   * connection shared by every request, where a transaction would take in other requests'
   * statements; there the statements run back to back and a lost race deletes the successor.
   */
  async rotate(presentedHash: string, successor: RefreshTokenEntity, now: Date): Promise<boolean> {
    if (this.tokens.manager.connection.options.type !== 'postgres') {
      await this.tokens.insert(successor);
      if (await markUsed(this.tokens, presentedHash, now)) {
        return true;
      }
      await this.tokens.delete({ tokenHash: successor.tokenHash });
      return false;
    }
    try {
      await this.tokens.manager.transaction(async (manager) => {
        const tokens = manager.getRepository(RefreshTokenEntity);
        await tokens.insert(successor);
        if (!(await markUsed(tokens, presentedHash, now))) {
          throw new AlreadyUsed(); // rolls the successor back
        }
      });
      return true;
    } catch (err) {
      if (err instanceof AlreadyUsed) {
        return false;
      }
      throw err;
    }
  }

  /** Sliding idle expiry for clients without rotation. */
  async touch(tokenHash: string, idleExpiresAt: Date): Promise<void> {
    await this.tokens.update({ tokenHash, usedAt: IsNull() }, { idleExpiresAt });
  }

  findFamily(id: string): Promise<RefreshTokenFamilyEntity | null> {
    return this.families.findOneBy({ id });
  }

  /** Sets revoked_at once; true when this call revoked it. */
  async revokeFamily(id: string, now: Date): Promise<boolean> {
    const result = await this.families.update({ id, revokedAt: IsNull() }, { revokedAt: now });
    return (result.affected ?? 0) > 0;
  }

  /** Ids of unrevoked families matching the filter (at least one criterion). */
  async activeFamilyIds(filter: FamilyFilter): Promise<string[]> {
    const rows = await this.families.find({
      select: { id: true },
      where: { ...this.where(filter), revokedAt: IsNull() },
    });
    return rows.map((r) => r.id);
  }

  async revokeFamilies(ids: string[], now: Date): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      await this.families.update({ id: In(ids.slice(i, i + 500)), revokedAt: IsNull() }, { revokedAt: now });
    }
  }

  /** Unrevoked, unexpired families, newest first. */
  listActiveFamilies(
    filter: FamilyFilter,
    now: Date,
    page: { limit: number; offset: number },
  ): Promise<[RefreshTokenFamilyEntity[], number]> {
    return this.families.findAndCount({
      where: { ...this.where(filter), revokedAt: IsNull(), absoluteExpiresAt: MoreThan(now) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  /** Housekeeping: up to `limit` tokens past their idle expiry (which never exceeds the family's). */
  async expiredTokenHashes(now: Date, limit: number): Promise<string[]> {
    const rows = await this.tokens.find({
      select: { tokenHash: true },
      where: { idleExpiresAt: LessThan(now) },
      take: limit,
    });
    return rows.map((r) => r.tokenHash);
  }

  async deleteTokens(hashes: string[]): Promise<void> {
    if (hashes.length > 0) {
      await this.tokens.delete({ tokenHash: In(hashes) });
    }
  }

  /** Housekeeping: up to `limit` families past their absolute expiry, or revoked before `revokedBefore`. */
  async deadFamilyIds(now: Date, revokedBefore: Date, limit: number): Promise<string[]> {
    const rows = await this.families.find({
      select: { id: true },
      where: [{ absoluteExpiresAt: LessThan(now) }, { revokedAt: LessThan(revokedBefore) }],
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /** Deletes families and their tokens by primary/indexed keys (idempotent across instances). */
  async deleteFamilies(ids: string[]): Promise<void> {
    if (ids.length > 0) {
      await this.tokens.delete({ familyId: In(ids) });
      await this.families.delete({ id: In(ids) });
    }
  }

  private where(filter: FamilyFilter): FindOptionsWhere<RefreshTokenFamilyEntity> {
    const where: FindOptionsWhere<RefreshTokenFamilyEntity> = {};
    if (filter.clientId !== undefined) {
      where.clientId = filter.clientId;
    }
    if (filter.ownerId !== undefined) {
      where.ownerId = filter.ownerId;
    }
    if (filter.consentGrantId !== undefined) {
      where.consentGrantId = filter.consentGrantId;
    }
    return where;
  }
}
