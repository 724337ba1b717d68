// panva/oidc-provider 9.x configured for the same work as Tessera: ES256 JWT and opaque access tokens
// for client_credentials (with or without DPoP), introspection, refresh tokens rotated on every use, PKCE S256, in-memory adapter.
// Its login is a minimal interaction of our own (devInteractions check no password): a form with
// username and password, verified against an argon2id hash made at start-up with Tessera's copy of
// `argon2` and Tessera's default parameters (ADR 0005; PASSWORD_HASH_* honoured, as in argon2-cost.mjs).
// Started by run.mjs as its own process: node peer-server.mjs <port> <fixtures.json>
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import Provider from 'oidc-provider';

const require = createRequire(new URL('../package.json', import.meta.url)); // Tessera's own argon2
const argon2 = require('argon2');

const [port, fixturesPath] = process.argv.slice(2);
const fixtures = JSON.parse(readFileSync(fixturesPath, 'utf8'));
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'ES256', use: 'sig' };
const audience = fixtures.audience;

/** The bench owner's account: username → argon2id hash of the password (Tessera's defaults). */
const accounts = new Map([
  [
    fixtures.owner.username,
    await argon2.hash(fixtures.owner.password, {
      type: argon2.argon2id,
      memoryCost: Number(process.env.PASSWORD_HASH_MEMORY_KIB ?? 19456),
      timeCost: Number(process.env.PASSWORD_HASH_TIME_COST ?? 2),
      parallelism: Number(process.env.PASSWORD_HASH_PARALLELISM ?? 1),
    }),
  ],
]);
// Verified for unknown usernames too, so that a miss costs what a hit does (as Tessera does).
const dummyHash = await argon2.hash('not a password of anyone', {
  type: argon2.argon2id,
  memoryCost: Number(process.env.PASSWORD_HASH_MEMORY_KIB ?? 19456),
  timeCost: Number(process.env.PASSWORD_HASH_TIME_COST ?? 2),
  parallelism: Number(process.env.PASSWORD_HASH_PARALLELISM ?? 1),
});

const provider = new Provider(issuer, {
  clients: fixtures.peerClients,
  jwks: { keys: [jwk] },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: () => true },
    revocation: { enabled: true },
    devInteractions: { enabled: false }, // replaced by the login interaction below
    // RFC 9449 (on by default in 9.x; explicit here): proofs verified with jose, jti single use through
    // the adapter's ReplayDetection (in memory), no server nonces (requireNonce false, as Tessera's default).
    dPoP: { enabled: true, allowReplay: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource, client) => ({
        scope: 'api profile offline_access',
        audience: resource,
        accessTokenTTL: 600,
        accessTokenFormat: client.clientId === 'bench-opaque' ? 'opaque' : 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
  scopes: ['openid', 'offline_access', 'api', 'profile'],
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  rotateRefreshToken: () => true,
  issueRefreshToken: () => true,
  loadExistingGrant: async (ctx) => {
    // Remembered consent, like Tessera's: auto-approve the bench client's requested scopes.
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid offline_access api profile'); // 'api' is also one of the OP's scopes
    grant.addResourceScope(audience, 'api profile offline_access');
    await grant.save();
    return grant;
  },
  ttl: {
    AccessToken: 600,
    ClientCredentials: 600,
    RefreshToken: 86400,
    AuthorizationCode: 60,
    Grant: 86400,
    Session: 86400,
    Interaction: 600,
  },
});
provider.proxy = false;

const escapeHtml = (v) =>
  String(v).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

function page(res, status, uid, error) {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Sign-in</title></head><body>
${error ? `<p role="alert">${escapeHtml(error)}</p>\n` : ''}<form autocomplete="off" action="/interaction/${escapeHtml(uid)}" method="post">
<input type="hidden" name="prompt" value="login"/>
<input required type="text" name="username" placeholder="Username">
<input required type="password" name="password" placeholder="Password">
<button type="submit">Sign in</button>
</form></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) {
      throw Object.assign(new Error('form too large'), { status: 413 });
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** GET /interaction/:uid: the login form; POST: verify the password, then back to /auth/:uid. */
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res); // throws without the interaction cookie
  if (details.prompt.name !== 'login') {
    // Consent never reaches here: loadExistingGrant approves the bench client's scopes.
    res.writeHead(501, { 'content-type': 'text/plain' });
    return res.end(`prompt ${details.prompt.name} not implemented`);
  }
  if (req.method === 'GET') {
    return page(res, 200, details.uid);
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'GET, POST' });
    return res.end();
  }
  const form = await readForm(req);
  const username = form.get('username') ?? '';
  const password = form.get('password') ?? '';
  const hash = accounts.get(username);
  const ok = (await argon2.verify(hash ?? dummyHash, password)) && hash !== undefined;
  if (!ok) {
    return page(res, 401, details.uid, 'Wrong username or password.');
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: username } },
    { mergeWithLastSubmission: false },
  );
}

const callback = provider.callback();
createServer((req, res) => {
  if (!req.url.startsWith('/interaction/')) {
    return callback(req, res);
  }
  interaction(req, res).catch((err) => {
    if (!res.headersSent) {
      res.writeHead(err.status ?? err.statusCode ?? 500, { 'content-type': 'text/plain' });
    }
    res.end(String(err.message ?? err));
  });
}).listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
