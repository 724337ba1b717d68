import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  DataSource,
  In,
  IsNull,
  LessThan,
  MoreThan,
  Repository,
  type EntityManager,
  type FindOptionsWhere,
} from 'typeorm';
import { FixedSql, type FixedStatement } from '../../database/fixed-sql.js';
import { RefreshTokenFamilyEntity } from './refresh-token-family.entity.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';

export interface FamilyFilter {
  clientId?: string;
  ownerId?: string;
  consentGrantId?: string;
}

/**
 * All SQL for refresh tokens and their families (one repository per aggregate). The two
 * statements of the refresh_token grant (find, rotate) are fixed SQL: TypeORM's query builder
 * was a third of that path's CPU (docs/bench.md).
 */
@Injectable()
export class RefreshTokenRepository {
  private readonly sql: FixedSql;
  private readonly findStatement: FixedStatement;
  private readonly rotateStatement: FixedStatement;
  private readonly insertFamilyStatement: FixedStatement;

  constructor(
    @InjectRepository(RefreshTokenEntity) private readonly tokens: Repository<RefreshTokenEntity>,
    @InjectRepository(RefreshTokenFamilyEntity)
    private readonly families: Repository<RefreshTokenFamilyEntity>,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.sql = new FixedSql(dataSource);
    this.findStatement = this.sql.statement(
      'rt_find',
      // The owner's disabled flag rides along (issue 16 M2): no extra read per refresh.
      `SELECT ${this.sql.selectList(tokens.metadata, 't')}, ${this.sql.selectList(families.metadata, 'f')},
         o.disabled AS "owner_disabled"
       FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
       LEFT JOIN owners o ON o.id = f.owner_id
       WHERE t.token_hash = ?`,
    );
    // One statement, one commit: mark the presented token used only if nobody did, and insert
    // its successor only when that update won.
    this.rotateStatement = this.sql.statement(
      'rt_rotate',
      `WITH used AS (
         UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL RETURNING family_id
       )
       INSERT INTO refresh_tokens (token_hash, family_id, client_id, scope, issued_at, idle_expires_at, used_at)
       SELECT ?::varchar, family_id, ?::varchar, ?::text, ?::bigint, ?::bigint, NULL FROM used
       RETURNING token_hash`,
    );
    // A grant and its first token in one statement (one commit), never one without the other.
    this.insertFamilyStatement = this.sql.statement(
      'rt_insert_family',
      `WITH family AS (
         INSERT INTO refresh_token_families
           (id, client_id, owner_id, consent_grant_id, scope, resources, auth_time, created_at, absolute_expires_at, revoked_at, dpop_jkt, sid, parent_family_id, act)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?) RETURNING id
       )
       INSERT INTO refresh_tokens (token_hash, family_id, client_id, scope, issued_at, idle_expires_at, used_at)
       SELECT ?::varchar, id, ?::varchar, ?::text, ?::bigint, ?::bigint, NULL FROM family`,
    );
  }

  async insertFamily(family: RefreshTokenFamilyEntity, first: RefreshTokenEntity): Promise<void> {
    if (this.sql.postgres) {
      await this.sql.query(this.insertFamilyStatement, [
        family.id,
        family.clientId,
        family.ownerId,
        family.consentGrantId,
        family.scope,
        JSON.stringify(family.resources),
        family.authTime?.getTime() ?? null,
        family.createdAt.getTime(),
        family.absoluteExpiresAt.getTime(),
        family.dpopJkt ?? null,
        family.sid,
        family.parentFamilyId ?? null,
        family.act ? JSON.stringify(family.act) : null,
        first.tokenHash,
        first.clientId,
        first.scope,
        first.issuedAt.getTime(),
        first.idleExpiresAt.getTime(),
      ]);
      return;
    }
    // Family first: a token never references a missing family.
    await this.families.insert(family);
    await this.tokens.insert(first);
  }

  /**
   * The token with its family, or null; `ownerDisabled` tells whether the grant's owner is
   * disabled (false when the grant has no owner). One indexed read.
   */
  async findByHash(tokenHash: string): Promise<(RefreshTokenEntity & { ownerDisabled: boolean }) | null> {
    const [row] = await this.sql.query(this.findStatement, [tokenHash]);
    if (!row) {
      return null;
    }
    const token = this.sql.hydrate<RefreshTokenEntity>(this.tokens.metadata, row, 't');
    token.family = this.sql.hydrate<RefreshTokenFamilyEntity>(this.families.metadata, row, 'f');
    // PostgreSQL: boolean; SQLite: 0/1; no owner row: null.
    const disabled = row.owner_disabled;
    return Object.assign(token, { ownerDisabled: disabled === true || disabled === 1 || disabled === '1' });
  }

  /**
   * Rotates `presentedHash` out and `successor` in, only if nobody rotated it before
   * (`UPDATE … WHERE used_at IS NULL`). The database serialises concurrent updates of one row, so
   * exactly one caller gets true; a loser leaves no successor behind.
   */
  async rotate(presentedHash: string, successor: RefreshTokenEntity, now: Date): Promise<boolean> {
    if (this.sql.postgres) {
      const inserted = await this.sql.query(this.rotateStatement, [
        now.getTime(),
        presentedHash,
        successor.tokenHash,
        successor.clientId,
        successor.scope,
        successor.issuedAt.getTime(),
        successor.idleExpiresAt.getTime(),
      ]);
      return inserted.length === 1;
    }
    // SQLite: no UPDATE inside WITH, and TypeORM shares its one connection between requests, so a
    // transaction would take in other requests' statements. Successor first: a crash between the
    // two leaves the presented token valid and an orphan nobody holds, never neither.
    await this.tokens.insert(successor);
    const used = await this.tokens.update({ tokenHash: presentedHash, usedAt: IsNull() }, { usedAt: now });
    if (used.affected === 1) {
      return true;
    }
    await this.tokens.delete({ tokenHash: successor.tokenHash });
    return false;
  }

  /** Sliding idle expiry for clients without rotation. */
  async touch(tokenHash: string, idleExpiresAt: Date): Promise<void> {
    await this.tokens.update({ tokenHash, usedAt: IsNull() }, { idleExpiresAt });
  }

  findFamily(id: string): Promise<RefreshTokenFamilyEntity | null> {
    return this.families.findOneBy({ id });
  }

  /** Sets revoked_at once; true when this call revoked it. `manager`: inside that transaction. */
  async revokeFamily(id: string, now: Date, manager?: EntityManager): Promise<boolean> {
    const families = manager ? manager.getRepository(RefreshTokenFamilyEntity) : this.families;
    const result = await families.update({ id, revokedAt: IsNull() }, { revokedAt: now });
    return (result.affected ?? 0) > 0;
  }

  /** Ids of unrevoked families matching the filter (at least one criterion). */
  async activeFamilyIds(filter: FamilyFilter): Promise<string[]> {
    return (await this.activeFamilies(filter)).map((r) => r.id);
  }

  /** Id, client and owner of unrevoked families matching the filter. */
  activeFamilies(
    filter: FamilyFilter,
    manager?: EntityManager,
  ): Promise<Pick<RefreshTokenFamilyEntity, 'id' | 'clientId' | 'ownerId'>[]> {
    const families = manager ? manager.getRepository(RefreshTokenFamilyEntity) : this.families;
    return families.find({
      select: { id: true, clientId: true, ownerId: true },
      where: { ...this.where(filter), revokedAt: IsNull() },
    });
  }

  /** Unrevoked families started by token exchange from any of `parentIds` (the revocation cascade). */
  async activeChildren(
    parentIds: string[],
    manager?: EntityManager,
  ): Promise<Pick<RefreshTokenFamilyEntity, 'id' | 'clientId' | 'ownerId'>[]> {
    const families = manager ? manager.getRepository(RefreshTokenFamilyEntity) : this.families;
    const children: Pick<RefreshTokenFamilyEntity, 'id' | 'clientId' | 'ownerId'>[] = [];
    for (let i = 0; i < parentIds.length; i += 500) {
      children.push(
        ...(await families.find({
          select: { id: true, clientId: true, ownerId: true },
          where: { parentFamilyId: In(parentIds.slice(i, i + 500)), revokedAt: IsNull() },
        })),
      );
    }
    return children;
  }

  async revokeFamilies(ids: string[], now: Date, manager?: EntityManager): Promise<void> {
    const families = manager ? manager.getRepository(RefreshTokenFamilyEntity) : this.families;
    for (let i = 0; i < ids.length; i += 500) {
      await families.update({ id: In(ids.slice(i, i + 500)), revokedAt: IsNull() }, { revokedAt: now });
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
