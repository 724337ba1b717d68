import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { SigningKeyEntity } from './signing-key.entity.js';

const UNIQUE_CODES = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' && UNIQUE_CODES.has(code);
}

/** Every database access for signing keys. */
@Injectable()
export class SigningKeyRepository {
  constructor(@InjectRepository(SigningKeyEntity) private readonly repo: Repository<SigningKeyEntity>) {}

  /** Keys still published (not expired), newest generation first. */
  findPublished(now: Date): Promise<SigningKeyEntity[]> {
    return this.repo
      .createQueryBuilder('k')
      .where('k.expires_at IS NULL OR k.expires_at > :now', { now: now.getTime() })
      .orderBy('k.generation', 'DESC')
      .addOrderBy('k.companion', 'ASC')
      .getMany();
  }

  findLatest(): Promise<SigningKeyEntity | null> {
    return this.repo.findOne({ where: { companion: false }, order: { generation: 'DESC' } });
  }

  /** Inserts a key; false when another instance already inserted this generation. */
  async insertGeneration(key: SigningKeyEntity): Promise<boolean> {
    try {
      // One autocommit statement: no transaction held open while another instance inserts.
      await this.repo
        .createQueryBuilder()
        .insert()
        .values(key as QueryDeepPartialEntity<SigningKeyEntity>)
        .updateEntity(false)
        .execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) {
        return false;
      }
      throw err;
    }
  }

  /** Schedules the retirement (stops signing) and JWKS removal of a generation's keys (companion too). */
  async retire(generation: number, retiresAt: Date, expiresAt: Date, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(SigningKeyEntity) : this.repo;
    await repo.update({ generation }, { retiresAt, expiresAt });
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.repo
      .createQueryBuilder()
      .delete()
      .where('expires_at IS NOT NULL AND expires_at < :now', { now: now.getTime() })
      .execute();
    return result.affected ?? 0;
  }
}
