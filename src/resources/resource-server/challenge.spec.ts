import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bearerChallenge } from './challenge.js';
import { ResourceServerError } from './resource-server.error.js';

const META = 'https://api.example/.well-known/oauth-protected-resource';

describe('bearerChallenge', () => {
  it('R-RS-8: no error attribute when no token was sent', () => {
    expect(bearerChallenge(ResourceServerError.noToken(), 'api', META)).toBe(
      `Bearer realm="api", resource_metadata="${META}"`,
    );
  });

  it('R-RS-9/R-RS-13: invalid_token with description and resource_metadata', () => {
    expect(bearerChallenge(ResourceServerError.invalidToken('expired'), 'api', META)).toBe(
      `Bearer realm="api", error="invalid_token", error_description="expired", resource_metadata="${META}"`,
    );
  });

  it('R-RS-10: insufficient_scope carries scope once', () => {
    const value = bearerChallenge(ResourceServerError.insufficientScope(['a', 'b:c']), 'api', META) ?? '';
    expect(value).toContain('error="insufficient_scope"');
    expect(value.match(/scope="/g)).toHaveLength(1);
    expect(value).toContain(' scope="a b:c"');
  });

  it('R-RS-11: quotes, backslashes and control characters never reach the header', () => {
    const evil = ResourceServerError.insufficientScope(['a"b', 'c\\d', 'e\r\nX-Injected: 1']);
    const value = bearerChallenge(evil, 'r"e\\a\nlm', META) ?? '';
    expect(value).not.toMatch(/[\r\n\\]/);
    expect(value).toContain('realm="realm"');
    expect(value).toContain('scope="ab cd eX-Injected:1"');
    for (const attr of ['realm', 'error', 'error_description', 'scope', 'resource_metadata']) {
      expect((value.match(new RegExp(`[ ,]${attr}="`, 'g')) ?? []).length).toBeLessThanOrEqual(1);
    }
  });

  it('no challenge on 503 (the issuer is down, the token may be fine)', () => {
    expect(bearerChallenge(ResourceServerError.unavailable(), 'api', META)).toBeUndefined();
  });
});

describe('package boundary', () => {
  it('imports nothing from the rest of Tessera (publishable as a package)', () => {
    const dir = dirname(fileURLToPath(import.meta.url));
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [...readFileSync(join(dir, f), 'utf8').matchAll(/from '(\.[^']+)'/g)]
          .map((m) => m[1] ?? '')
          .filter((path) => !path.startsWith('./'))
          .map((path) => `${f}: ${path}`),
      );
    expect(offenders).toEqual([]);
  });
});
