import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentedEnvVars } from '../../src/config/env-var.decorator.js';
import '../../src/config/env.schema.js'; // its decorators fill the registry

interface ExampleEntry {
  name: string;
  /** undefined when the line is commented out (`# NAME=`): no default. */
  value: string | undefined;
  comment: string | undefined;
}

/** `.env.example`: a `# description` line, then `NAME=default` or `# NAME=` (no default). */
function parseEnvExample(text: string): ExampleEntry[] {
  const lines = text.split('\n');
  const entries: ExampleEntry[] = [];
  lines.forEach((line, i) => {
    const set = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    const unset = /^#\s*([A-Z][A-Z0-9_]*)=\s*(.*)$/.exec(line);
    const match = set ?? unset;
    if (!match?.[1]) {
      return;
    }
    const previous = lines[i - 1] ?? '';
    entries.push({
      name: match[1],
      value: set ? match[2] : undefined,
      comment: previous.startsWith('# ') ? previous.slice(2) : undefined,
    });
  });
  return entries;
}

describe('.env.example', () => {
  const entries = parseEnvExample(readFileSync(join(process.cwd(), '.env.example'), 'utf8'));
  const documented = documentedEnvVars();

  it('lists exactly the variables the config schema defines, each once', () => {
    const names = entries.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(documented.map((d) => d.name).sort());
    expect(documented.length).toBeGreaterThan(10);
  });

  it('gives each variable its schema description and default', () => {
    for (const doc of documented) {
      const entry = entries.find((e) => e.name === doc.name);
      expect({ name: doc.name, comment: entry?.comment }).toEqual({
        name: doc.name,
        comment: doc.description,
      });
      // A default shown as a live NAME=value line; a computed default (${...}) stays commented.
      const expected =
        doc.defaultValue === undefined || doc.defaultValue.includes('${') ? undefined : doc.defaultValue;
      expect({ name: doc.name, value: entry?.value }).toEqual({ name: doc.name, value: expected });
    }
  });

  it('marks secrets as sensitive and never ships a value for them', () => {
    for (const name of ['ADMIN_TOKEN', 'KEY_ENCRYPTION_SECRET', 'DATABASE_URL', 'REDIS_URL']) {
      expect(documented.find((d) => d.name === name)?.sensitive).toBe(true);
      expect(entries.find((e) => e.name === name)?.value).toBeUndefined();
    }
  });
});
