/** Parses `Bearer a="x", b="y"` and fails on any repeated attribute (R-RS-11). */
export function parseBearerChallenge(header: string | null | undefined): Record<string, string> {
  if (!header) {
    throw new Error('no WWW-Authenticate header');
  }
  const match = /^Bearer (.*)$/.exec(header);
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
