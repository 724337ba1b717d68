import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Set inside run() on SQLite, where a nested run() would wait on itself forever. Not on
 * PostgreSQL: there a nested run() takes a second pooled connection (no deadlock), and an
 * AsyncLocalStorage in the hot path turns on async_hooks promise hooks for every promise of the
 * process under Node 20 (issue 18). The e2e suite runs on SQLite, so misuse is caught there.
 */
const inside = new AsyncLocalStorage<true>();

/** Per data source: the tail of the chain SQLite transactions wait on. */
const sqliteTails = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs work in one database transaction. On PostgreSQL each transaction has a pooled connection
 * of its own. SQLite has one connection per process (TypeORM shares it), so transactions are
 * serialised here: two overlapping ones would otherwise nest as savepoints of each other. Keep
 * the work short (a few statements, no network calls): on SQLite, statements other requests run
 * meanwhile share the open transaction.
 */
@Injectable()
export class Transactions {
  private readonly postgres: boolean;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.postgres = dataSource.options.type === 'postgres';
  }

  /** `?` placeholders rewritten to `$1…` on PostgreSQL. */
  sql(text: string): string {
    if (!this.postgres) {
      return text;
    }
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  }

  get isPostgres(): boolean {
    return this.postgres;
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.postgres && inside.getStore()) {
      return Promise.reject(
        new Error('Transactions.run() called inside a transaction: pass its EntityManager on'),
      );
    }
    if (this.postgres) {
      return this.dataSource.transaction(work);
    }
    const guarded = (manager: EntityManager) => inside.run(true, () => work(manager));
    return serialised(this.dataSource, () => this.dataSource.transaction(guarded));
  }
}

/** Runs `task` after every earlier task of this data source settled (a single-process lock). */
export function serialised<T>(dataSource: DataSource, task: () => Promise<T>): Promise<T> {
  const previous = sqliteTails.get(dataSource) ?? Promise.resolve();
  const result = previous.then(task, task);
  sqliteTails.set(
    dataSource,
    result.catch(() => undefined),
  );
  return result;
}
