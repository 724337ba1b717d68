import { Column, type ColumnOptions } from 'typeorm';

/**
 * Instants are stored as epoch milliseconds (bigint) so that SQLite and PostgreSQL behave the
 * same whatever the server's time zone, and expiry comparisons are plain integer compares.
 */
export const epochTransformer = {
  to: (value: Date | null | undefined): number | null | undefined =>
    value instanceof Date ? value.getTime() : value,
  from: (value: string | number | null): Date | null => (value === null ? null : new Date(Number(value))),
};

export function EpochColumn(options: Pick<ColumnOptions, 'name' | 'nullable'> = {}): PropertyDecorator {
  return Column({ type: 'bigint', transformer: epochTransformer, ...options });
}

/** JSON stored as text, identical on both databases. */
export function JsonColumn(options: Pick<ColumnOptions, 'name' | 'nullable'> = {}): PropertyDecorator {
  return Column({ type: 'simple-json', ...options });
}
