import { readFileSync } from 'node:fs';

/**
 * The runtime settings Tessera's container image gives Node and glibc (Dockerfile, runtime stage ENV):
 * MALLOC_ARENA_MAX and NODE_OPTIONS. The bench runs Tessera with them, as it runs in production, so the
 * figures (RSS above all) are the image's and cannot drift from it.
 */
export function imageRuntimeEnv(dockerfilePath) {
  const stages = readFileSync(dockerfilePath, 'utf8')
    .replace(/\\\n/g, ' ')
    .split(/^FROM /m);
  const runtime = stages[stages.length - 1];
  const env = {};
  for (const line of runtime.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const m of line.slice(4).matchAll(/([A-Z][A-Z0-9_]*)=(\S*)/g)) {
      if (m[1] === 'MALLOC_ARENA_MAX' || m[1] === 'NODE_OPTIONS') env[m[1]] = m[2];
    }
  }
  return env;
}
