import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config.js';
import { buildDataSourceOptions } from './src/database/data-source.options.js';

/** DataSource for the TypeORM migration CLI: `npm run migration:run` / `migration:revert`. */
export default new DataSource(buildDataSourceOptions(loadConfig().database));
