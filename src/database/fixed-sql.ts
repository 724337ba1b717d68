import type { Pool } from 'pg';
import type { DataSource, EntityMetadata, ObjectLiteral } from 'typeorm';

/** A statement in the dialect's placeholder syntax, with the name it is prepared under. */
export interface FixedStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * Fixed, parameterised SQL for hot paths, where building a query with TypeORM's query builder
 * costs more CPU than running it (the refresh-token profile in docs/bench.md). Statements are
 * written once with `?` placeholders; rows are hydrated through TypeORM's own driver and column
 * metadata, so transformers (epoch instants, simple-json) behave exactly as in repositories.
 * On PostgreSQL each statement is a named prepared statement (parsed and planned once per
 * connection), sent through TypeORM's own pool.
 */
export class FixedSql {
  readonly postgres: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.postgres = dataSource.options.type === 'postgres';
  }

  /** `?` placeholders in the dialect's syntax (`$1, $2…` on PostgreSQL). Call once per statement. */
  statement(name: string, text: string): FixedStatement {
    if (!this.postgres) {
      return { name, text };
    }
    let n = 0;
    return { name: `tessera_${name}`, text: text.replace(/\?/g, () => `$${++n}`) };
  }

  /** `alias.column AS "alias__column", …` for every column of the entity. */
  selectList(metadata: EntityMetadata, alias: string): string {
    return metadata.columns
      .map((c) => `${alias}.${c.databaseName} AS "${alias}__${c.databaseName}"`)
      .join(', ');
  }

  /** An entity instance from the columns `selectList(metadata, alias)` selected. */
  hydrate<T extends ObjectLiteral>(metadata: EntityMetadata, row: Record<string, unknown>, alias: string): T {
    const entity = metadata.create() as T;
    for (const column of metadata.columns) {
      const raw = row[`${alias}__${column.databaseName}`];
      (entity as Record<string, unknown>)[column.propertyName] = this.dataSource.driver.prepareHydratedValue(
        raw ?? null,
        column,
      );
    }
    return entity;
  }

  /** The first row of a statement selecting `selectList(metadata, alias)`, hydrated; or null. */
  async one<T extends ObjectLiteral>(
    metadata: EntityMetadata,
    alias: string,
    statement: FixedStatement,
    parameters: unknown[],
  ): Promise<T | null> {
    const [row] = await this.query(statement, parameters);
    return row ? this.hydrate<T>(metadata, row, alias) : null;
  }

  /** Every row of a statement selecting `selectList(metadata, alias)`, hydrated. */
  async many<T extends ObjectLiteral>(
    metadata: EntityMetadata,
    alias: string,
    statement: FixedStatement,
    parameters: unknown[],
  ): Promise<T[]> {
    const rows = await this.query(statement, parameters);
    return rows.map((row) => this.hydrate<T>(metadata, row, alias));
  }

  async query<R = Record<string, unknown>>(statement: FixedStatement, parameters: unknown[]): Promise<R[]> {
    if (!this.postgres) {
      return this.dataSource.query(statement.text, parameters);
    }
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const result = await pool.query({ name: statement.name, text: statement.text, values: parameters });
    return result.rows as R[];
  }
}
