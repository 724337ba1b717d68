import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, Repository } from 'typeorm';
import { FixedSql, type FixedStatement } from '../database/fixed-sql.js';
import { OwnerEntity } from './owner.entity.js';

export interface OwnerListFilter {
  /** Matches owners whose username key starts with this (already a username key). */
  usernamePrefix?: string;
  disabled?: boolean;
  limit: number;
  offset: number;
}

const UNIQUE_VIOLATION = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE']);

/** True when a write failed on a unique index (PostgreSQL 23505, SQLite UNIQUE). */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) {
    return false;
  }
  const code = (err.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && UNIQUE_VIOLATION.has(code);
}

/** All TypeORM access for owners; services never build queries. */
@Injectable()
export class OwnerRepository {
  private readonly sql: FixedSql;
  private readonly byId: FixedStatement;

  constructor(
    @InjectRepository(OwnerEntity) private readonly owners: Repository<OwnerEntity>,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.sql = new FixedSql(dataSource);
    // Every /authorize with a session reads its owner: fixed SQL (docs/bench.md).
    this.byId = this.sql.statement(
      'owner_by_id',
      `SELECT ${this.sql.selectList(owners.metadata, 'o')} FROM owners o WHERE o.id = ?`,
    );
  }

  findById(id: string): Promise<OwnerEntity | null> {
    return this.sql.one<OwnerEntity>(this.owners.metadata, 'o', this.byId, [id]);
  }

  findByKey(key: string): Promise<OwnerEntity | null> {
    return this.owners.findOneBy({ usernameKey: key });
  }

  async insert(owner: OwnerEntity): Promise<void> {
    await this.owners.insert(owner);
  }

  async save(owner: OwnerEntity): Promise<void> {
    await this.owners.save(owner);
  }

  async list(filter: OwnerListFilter): Promise<{ items: OwnerEntity[]; total: number }> {
    const query = this.owners.createQueryBuilder('o');
    if (filter.usernamePrefix !== undefined) {
      const escaped = filter.usernamePrefix.replace(/[\\%_]/g, (c) => `\\${c}`);
      query.andWhere("o.username_key LIKE :prefix ESCAPE '\\'", { prefix: `${escaped}%` });
    }
    if (filter.disabled !== undefined) {
      query.andWhere('o.disabled = :disabled', { disabled: filter.disabled });
    }
    const [items, total] = await query
      .orderBy('o.username_key', 'ASC')
      .skip(filter.offset)
      .take(filter.limit)
      .getManyAndCount();
    return { items, total };
  }
}
