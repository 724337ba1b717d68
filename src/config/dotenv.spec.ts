import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDotEnv } from './dotenv.js';

describe('loadDotEnv (#17.5)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dotenv-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads .env, keeps every variable already in the environment (even empty), returns what it took', () => {
    writeFileSync(join(dir, '.env'), '# c\nA=file\nB="quoted value"\nC=file\nexport D=x\n');
    const env: NodeJS.ProcessEnv = { A: 'env', C: '' };
    const taken = loadDotEnv(dir, env);
    expect(env.A).toBe('env');
    expect(env.B).toBe('quoted value');
    expect(env.C).toBe('');
    expect(taken).toEqual(expect.arrayContaining(['B']));
    expect(taken).not.toContain('A');
  });

  it('does nothing without a .env file', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(loadDotEnv(dir, env)).toEqual([]);
    expect(env).toEqual({});
  });
});
