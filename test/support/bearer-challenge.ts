/**
 * Parses `Bearer a="x", b="y"` and fails on any repeated attribute (R-RS-11). A DPoP challenge
 * following it (`, DPoP algs="…"`, RFC 9449 §7.1) is set aside: parseDpopChallenge reads it.
 */
export function parseBearerChallenge(header: string | null | undefined): Record<string, string> {
  if (!header) {
    throw new Error('no WWW-Authenticate header');
  }
  const match = /^Bearer (.*?)(?:, DPoP [a-z_]+=".*)?$/.exec(header);
  if (!match?.[1]) {
    throw new Error(`not a Bearer challenge: ${header}`);
  }
  const params: Record<string, string> = {};
  const re = /\s*([a-z_]+)="([^"\\]*)"\s*(,|$)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(match[1])) !== null && m[0] !== '') {
    const [, name = '', value = ''] = m;
    if (name in params) {
      throw new Error(`attribute ${name} repeated in ${header}`);
    }
    params[name] = value;
    consumed = re.lastIndex;
  }
  if (consumed !== match[1].length) {
    throw new Error(`malformed challenge: ${header}`);
  }
  return params;
}

/** The `DPoP …` challenge of a WWW-Authenticate value (alone or after the Bearer one). */
export function parseDpopChallenge(header: string | null | undefined): Record<string, string> {
  const match = /(?:^|, )DPoP ([a-z_]+=".*)$/.exec(header ?? '');
  if (!match?.[1]) {
    throw new Error(`no DPoP challenge: ${header}`);
  }
  return parseBearerChallenge(`Bearer ${match[1]}`);
}
