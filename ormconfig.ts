import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config.js';
import { loadDotEnv } from './src/config/dotenv.js';
import { buildDataSourceOptions } from './src/database/data-source.options.js';

loadDotEnv();

/** DataSource for the TypeORM CLI (`npm run typeorm`); migrations run with `npx tessera migrate`. */
export default new DataSource(buildDataSourceOptions(loadConfig().database));
