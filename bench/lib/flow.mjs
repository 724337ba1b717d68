// A scripted browser for the authorization-code + PKCE flow, for Tessera and oidc-provider alike:
// fetch with manual redirects and a cookie jar, forms read from the HTML pages.
//   Tessera:       /authorize → /login (username, password, csrf, req) → [/consent] → redirect_uri?code
//   oidc-provider: /auth → /interaction/:uid (peer-server.mjs's login: username, password; argon2id) → /auth/:uid → redirect_uri?code
// A login page shown again after the password was sent is a refused login: the flow fails there.
import { createHash, randomBytes } from 'node:crypto';
import { AUDIENCE, OWNER, REDIRECT_URI } from './fixtures.mjs';

const FORM = 'application/x-www-form-urlencoded';
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#x3D': '=', '#x60': '`', '#39': "'" };
const unescape = (v) => v.replace(/&(amp|lt|gt|quot|#x27|#x3D|#x60|#39);/g, (m, e) => ENTITIES[e] ?? m);

/** A cookie jar for one simulated browser (name → value; Max-Age=0 / empty values remove). */
class Browser {
  cookies = new Map();

  constructor(base) {
    this.base = base;
  }

  async request(url, init = {}) {
    const abs = new URL(url, this.base);
    const headers = { ...(init.headers ?? {}) };
    if (this.cookies.size) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const t0 = performance.now();
    const send = () => fetch(abs, { ...init, headers, redirect: 'manual' });
    // One retry on a network error only (a pooled keep-alive socket closed by the server while idle);
    // any HTTP answer, errors included, counts as is.
    const res = await send().catch(send);
    if (process.env.BENCH_FLOW_TRACE) {
      process.stderr.write(
        `${init.method ?? 'GET'} ${abs.pathname} → ${res.status} ${(performance.now() - t0).toFixed(1)} ms ${res.headers.get('location')?.slice(0, 80) ?? ''}\n`,
      );
      for (const c of res.headers.getSetCookie()) process.stderr.write(`   set-cookie ${c.slice(0, 160)}\n`);
    }
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0\b/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line) || value === '') {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
    const text = await res.text();
    return { status: res.status, location: res.headers.get('location'), text, url: abs };
  }

  /** GETs `url` and follows redirects on this server; stops at a page or at the client's redirect URI. */
  async navigate(res) {
    for (let i = 0; i < 10; i++) {
      if (res.status < 300 || res.status >= 400 || !res.location) {
        return res;
      }
      const next = new URL(res.location, res.url);
      if (next.href.startsWith(REDIRECT_URI)) {
        return { ...res, redirect: next };
      }
      res = await this.request(next);
    }
    throw new Error('too many redirects');
  }

  /** Submits the page's form: its hidden inputs plus `fields`. */
  async submit(page, fields) {
    const action = /<form[^>]*action="([^"]+)"/.exec(page.text)?.[1];
    if (!action) {
      throw new Error(`no form on the page (${page.status} ${page.url}): ${page.text.slice(0, 300)}`);
    }
    const body = new URLSearchParams();
    for (const m of page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)) {
      body.append(unescape(m[1]), unescape(m[2]));
    }
    for (const [k, v] of Object.entries(fields)) {
      body.append(k, v);
    }
    const res = await this.request(new URL(unescape(action), page.url), {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: body.toString(),
    });
    return this.navigate(res);
  }
}

/** What the user does on each page: sign in (`target.password` overrides the owner's), or approve. */
function answer(page, target) {
  if (/type="password"/.test(page.text)) {
    return { username: OWNER.username, password: target.password ?? OWNER.password };
  }
  if (/name="decision"/.test(page.text)) {
    return { decision: 'allow' }; // Tessera's consent page (only the first time: consent is remembered)
  }
  if (/name="prompt" value="consent"/.test(page.text)) {
    return {};
  }
  throw new Error(`unexpected page ${page.status} ${page.url}: ${page.text.slice(0, 300)}`);
}

/**
 * One authorization-code + PKCE flow in `browser` (a fresh one = a full login; a signed-in one
 * goes straight to the code), then the code exchange. Returns the token response.
 */
export async function runFlow(server, target, browser = new Browser(target.base)) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(8).toString('hex');
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: target.fx.flowClientId,
    redirect_uri: REDIRECT_URI,
    scope: 'api',
    resource: AUDIENCE,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  let res = await browser.navigate(await browser.request(`${target.fx.authorizePath}?${q}`));
  let signedIn = false;
  for (let i = 0; i < 4 && !res.redirect; i++) {
    const fields = answer(res, target);
    if (fields.password !== undefined) {
      if (signedIn) {
        throw new Error(`login refused (${res.status} ${res.url})`);
      }
      signedIn = true;
    }
    res = await browser.submit(res, fields);
  }
  if (!res.redirect) {
    throw new Error(`flow did not reach the redirect URI (${res.status} ${res.url})`);
  }
  const code = res.redirect.searchParams.get('code');
  if (!code || res.redirect.searchParams.get('state') !== state) {
    throw new Error(`no code / wrong state at the redirect URI: ${res.redirect.href}`);
  }
  const tokenRes = await fetch(new URL(target.fx.tokenPath, target.base), {
    // (not retried: a code is single-use)
    method: 'POST',
    headers: { 'content-type': FORM, authorization: target.fx.jwtAuth },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
      resource: AUDIENCE,
    }).toString(),
  });
  const body = await tokenRes.json();
  if (tokenRes.status !== 200 || !body.access_token) {
    throw new Error(`code exchange → ${tokenRes.status} ${JSON.stringify(body)}`);
  }
  return body;
}

/** `n` refresh tokens for the bench client: one login, then `n` code flows in that signed-in browser. */
export async function refreshTokens(server, target, n, parallel = 4) {
  const browser = new Browser(target.base);
  const first = await runFlow(server, target, browser);
  const out = [first.refresh_token];
  const worker = async () => {
    while (out.length < n) {
      out.push('pending');
      const idx = out.length - 1;
      out[idx] = (await runFlow(server, target, browser)).refresh_token;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  if (out.some((t) => typeof t !== 'string' || t === 'pending' || t.length < 20)) {
    throw new Error(`${server}: the code exchange gave no refresh token`);
  }
  return out.slice(0, n);
}

export { Browser };
