import { InvalidScope } from '../../common/errors/oauth-error.js';

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Space-delimited scope string → distinct scope tokens; malformed → invalid_scope. */
export function parseScope(value: string): string[] {
  const tokens = value.split(' ').filter((s) => s.length > 0);
  for (const token of tokens) {
    if (!SCOPE_TOKEN.test(token)) {
      throw new InvalidScope('scope is malformed');
    }
  }
  return [...new Set(tokens)];
}

/**
 * The requested scope when it is a subset of `allowed`; `allowed` itself when none was
 * requested (R-AUTHZ-12 / R-RT-10); invalid_scope when it asks for more (R-TOK-13).
 */
export function narrowScope(requested: string | undefined, allowed: string): string {
  const granted = parseScope(allowed);
  if (requested === undefined) {
    return granted.join(' ');
  }
  const asked = parseScope(requested);
  const permitted = new Set(granted);
  const extra = asked.filter((s) => !permitted.has(s));
  if (extra.length > 0) {
    throw new InvalidScope('requested scope exceeds the allowed scope');
  }
  return asked.join(' ');
}
