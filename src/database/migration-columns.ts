import type { TableColumnOptions } from 'typeorm';

/** Column builders for dialect-neutral migrations (TypeORM's Table API renders each dialect). */
export const col = {
  id: (name = 'id', length = 64): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    isPrimary: true,
  }),
  string: (name: string, length: number, nullable = false): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    isNullable: nullable,
  }),
  text: (name: string, nullable = false): TableColumnOptions => ({
    name,
    type: 'text',
    isNullable: nullable,
  }),
  epoch: (name: string, nullable = false): TableColumnOptions => ({
    name,
    type: 'bigint',
    isNullable: nullable,
  }),
  int: (name: string, nullable = false): TableColumnOptions => ({
    name,
    type: 'integer',
    isNullable: nullable,
  }),
  bool: (name: string, defaultValue: boolean): TableColumnOptions => ({
    name,
    type: 'boolean',
    isNullable: false,
    default: defaultValue ? 'true' : 'false',
  }),
};
