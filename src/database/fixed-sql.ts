import type { DataSource, EntityMetadata, ObjectLiteral } from 'typeorm';

/**
 * Fixed, parameterised SQL for hot paths, where building a query with TypeORM's query builder
 * costs more CPU than running it (the refresh-token profile in docs/bench.md). Statements are
 * written once with `?` placeholders; rows are hydrated through TypeORM's own driver and column
 * metadata, so transformers (epoch instants, simple-json) behave exactly as in repositories.
 */
export class FixedSql {
  readonly postgres: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.postgres = dataSource.options.type === 'postgres';
  }

  /** `?` placeholders in the dialect's syntax (`$1, $2…` on PostgreSQL). Call once per statement. */
  statement(text: string): string {
    if (!this.postgres) {
      return text;
    }
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
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

  query<R = Record<string, unknown>>(statement: string, parameters: unknown[]): Promise<R[]> {
    return this.dataSource.query(statement, parameters);
  }
}
