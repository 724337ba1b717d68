import type { DataSource } from 'typeorm';

const normalize = (sql: string): string =>
  sql
    .replace(/DEFAULT \(false\)/g, 'DEFAULT (0)')
    .replace(/DEFAULT \(true\)/g, 'DEFAULT (1)')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The statements `synchronize` would run to make the database match the entities: empty when
 * the migrations produced exactly the entities' schema. On SQLite, TypeORM rebuilds a table
 * when a boolean default is spelled `false` in the migration and `0` by the entity; those
 * rebuilds are ignored when the rebuilt table and its indices are otherwise identical.
 */
export async function schemaDrift(ds: DataSource): Promise<string[]> {
  const queries = (await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
  if (ds.options.type !== 'better-sqlite3') {
    return queries;
  }
  const master: { name: string; sql: string | null }[] = await ds.query(
    'SELECT name, sql FROM sqlite_master',
  );
  const existing = new Map(master.map((m) => [m.name, normalize(m.sql ?? '')]));
  const cosmetic = new Set<string>();
  for (const q of queries) {
    const match = /^CREATE TABLE "temporary_([^"]+)"/.exec(q);
    const table = match?.[1];
    if (table && normalize(q.replace(`"temporary_${table}"`, `"${table}"`)) === existing.get(table)) {
      cosmetic.add(table);
    }
  }
  return queries.filter((q) => {
    for (const table of cosmetic) {
      if (
        q.includes(`"temporary_${table}"`) ||
        q === `DROP TABLE "${table}"` ||
        (/^(CREATE|DROP) (UNIQUE )?INDEX/.test(q) && indexUnchanged(q, existing))
      ) {
        return false;
      }
    }
    return true;
  });
}

function indexUnchanged(query: string, existing: Map<string, string>): boolean {
  const name = /INDEX "([^"]+)"/.exec(query)?.[1];
  if (!name || !existing.has(name)) {
    return false;
  }
  return query.startsWith('DROP') || normalize(query) === existing.get(name);
}
