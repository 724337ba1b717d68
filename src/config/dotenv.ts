import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Loads `.env` from the working directory into `env` (default process.env), as .env.example
 * promises. The process environment wins: a variable already set (even to an empty string) is
 * never replaced by the file. Returns the names taken from the file. No file: nothing happens.
 */
export function loadDotEnv(dir = process.cwd(), env: NodeJS.ProcessEnv = process.env): string[] {
  const path = join(dir, '.env');
  if (!existsSync(path)) {
    return [];
  }
  const parsed = parseEnv(readFileSync(path, 'utf8'));
  const taken: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (!(name in env)) {
      env[name] = value;
      taken.push(name);
    }
  }
  return taken;
}
