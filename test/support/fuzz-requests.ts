import fc from 'fast-check';

/** One endpoint under fuzz: its path(s), the parameter names it reads, and how it is reached. */
export interface FuzzTarget {
  name: string;
  paths: string[];
  params: string[];
  admin?: boolean;
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/**
 * A 60–70 KB value: a random chunk (printable or any code unit, lone surrogates included) repeated to
 * a random length. Drawing 65,000 characters one by one cost ~6 ms per request and added nothing the
 * parser or a length check would see differently.
 */
const huge = fc
  .tuple(
    fc.oneof(
      fc.string({ minLength: 1, maxLength: 64 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }),
    ),
    fc.integer({ min: 60_000, max: 70_000 }),
  )
  .map(([chunk, length]) => chunk.repeat(Math.ceil(length / chunk.length)).slice(0, length));

/** Values worth trying in any parameter: empty, encodings gone wrong, huge, and a few valid ones. */
const nasty = (valid: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.constantFrom(...valid) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        '%',
        '%zz',
        '%ff%fe',
        '%c0%af',
        '\u0000',
        '\ud800',
        '\uffff',
        'null',
        '[]',
        '{}',
        '1e309',
        '-1',
        '9'.repeat(400),
        '../../etc/passwd',
        'http://127.0.0.1:1/',
        'a'.repeat(5000),
        'é'.repeat(3000),
        '<script>',
        '${x}{{x}}',
        '__proto__',
      ),
    },
    { weight: 1, arbitrary: huge },
  );

const contentTypes = fc.constantFrom(
  undefined,
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  'application/json',
  'application/json; charset=utf-16',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'text/plain',
  'application/xml',
  'application/octet-stream',
  '*/*',
  ';;;',
  'application/x-www-form-urlencoded, application/json',
);

const methods = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'POST', 'POST') },
  { weight: 2, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') },
  { weight: 1, arbitrary: fc.constantFrom('TRACE', 'SEARCH', 'PROPFIND', 'M-SEARCH') },
);

/** Query or form text from parameter pairs, some encoded properly and some raw. */
function encodePairs(pairs: [string, string, boolean][]): string {
  return pairs.map(([k, v, raw]) => (raw ? `${k}=${v}` : `${safeEncode(k)}=${safeEncode(v)}`)).join('&');
}

function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s; // a lone surrogate: send it as it is
  }
}

/** Generated malformed requests for one target. `valid` holds values that get past early checks. */
export function fuzzRequests(
  target: FuzzTarget,
  valid: { values: string[]; authorizations: string[] },
): fc.Arbitrary<FuzzRequest> {
  const name = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...target.params) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        '__proto__[admin]',
        'constructor[prototype][admin]',
        'a[b]',
        'a[]',
        '',
        '%',
        '&',
      ),
    },
  );
  const pair = fc.tuple(name, nasty(valid.values), fc.boolean());
  // Duplicates come from repeating picks of the same few names.
  const pairs = fc.array(pair, { maxLength: 12 });
  const flatJson = fc.dictionary(name, fc.oneof(nasty(valid.values), fc.jsonValue({ maxDepth: 3 })), {
    maxKeys: 10,
  });
  const jsonBody = fc.oneof(
    { weight: 4, arbitrary: flatJson },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    // Issue 16: prototype-pollution shapes (JSON.stringify keeps an own "__proto__" key).
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          flatJson,
          fc.constantFrom('__proto__', 'constructor', 'prototype'),
          fc.jsonValue({ maxDepth: 2 }),
        )
        .map(([obj, key, value]) => ({ ...obj, [key]: { prototype: value, admin: true } })),
    },
  );
  /** Issue 16 L6: JSON nested around a plausible body, from just under the bound to thousands of levels. */
  const nestedJson = fc
    .tuple(flatJson, fc.integer({ min: 30, max: 5000 }), fc.boolean())
    .map(([obj, depth, arrays]) => {
      const open = arrays ? '[' : '{"a":';
      const close = arrays ? ']' : '}';
      return `{"x":${JSON.stringify(obj)},"n":${open.repeat(depth)}1${close.repeat(depth)}}`;
    });
  const body = fc.oneof(
    fc.constant(undefined),
    pairs.map((p) => encodePairs(p)),
    jsonBody.map((j) => JSON.stringify(j) ?? 'undefined'),
    nestedJson,
    fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)),
    fc.constantFrom(
      Buffer.from([0xff, 0xfe, 0x3d, 0xc3, 0x28]),
      Buffer.from('code=%ff&code=%fe', 'latin1'),
      Buffer.from('{"redirect_uris":["\\ud800"]}'),
      Buffer.from('--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n'),
      Buffer.from('{"__proto__":{"admin":true}}'),
      Buffer.from('['.repeat(5000)),
    ),
  );
  // Mostly small values; sometimes near Node's 16 KiB header limit, rarely past it (431).
  const headerValue = fc.oneof(
    { weight: 12, arbitrary: fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')) },
    { weight: 3, arbitrary: fc.constantFrom('', 'é', 'x'.repeat(8000)) },
    { weight: 1, arbitrary: fc.constant('a'.repeat(20_000)) },
  );
  const headers = fc.record(
    {
      authorization: fc.oneof(
        fc.constantFrom(...valid.authorizations),
        fc.constantFrom(
          'Basic',
          'Basic ',
          'Basic ===',
          'Basic Og==',
          'Bearer',
          'Bearer  x',
          'Digest x',
          'basic YTpi',
        ),
        headerValue.map((v) => `Basic ${Buffer.from(v).toString('base64')}`),
        headerValue.map((v) => `Bearer ${v}`),
      ),
      'content-type': contentTypes,
      cookie: fc.oneof(headerValue, fc.constantFrom('tessera_session=%ff', 'a=b; a=c', '=;;=')),
      'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'x'),
      accept: fc.constantFrom('*/*', 'text/html', 'application/json', '', 'x'),
      'x-forwarded-for': fc.constantFrom('1.2.3.4', 'nonsense', '::1, ,', '999.999.0.1'),
      'x-fuzz': headerValue,
      origin: fc.constantFrom('null', 'https://evil.example', '%'),
    },
    { requiredKeys: [] },
  );
  const suffix = fc.oneof(
    { weight: 6, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => `/${safeEncode(s)}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '/%ff',
        '/%',
        '//',
        '/..',
        '/%00',
        `/${'a'.repeat(3000)}`,
        // Issue 16 L8: overlong UTF-8 and encoded dot-segments (FST_ERR_BAD_URL before routing).
        '/%c0%ae%c0%ae/x',
        '/%2e%2e/%2e%2e',
        '%c0',
        '/%e0%80%af',
      ),
    },
  );
  return fc
    .record({
      method: methods,
      path: fc.constantFrom(...target.paths),
      suffix,
      query: fc.oneof(
        fc.constant(''),
        pairs.map(encodePairs),
        fc.constantFrom('%', '%ff=%fe', '&&==&', 'a=1&a=2&a=3'),
      ),
      headers,
      body,
    })
    .map(({ method, path, suffix: s, query, headers: h, body: b }) => {
      const cleaned: Record<string, string> = {};
      for (const [k, v] of Object.entries(h)) {
        if (v !== undefined) {
          cleaned[k] = v;
        }
      }
      return {
        method,
        url: `${path}${s}${query ? `?${query}` : ''}`,
        headers: cleaned,
        payload: method === 'GET' || method === 'HEAD' ? undefined : b,
      };
    });
}
