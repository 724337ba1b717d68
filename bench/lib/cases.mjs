import { createRemoteJWKSet, jwtVerify } from 'jose';
import { dpopKey, dpopProof } from './dpop.mjs';
import { AUDIENCE } from './fixtures.mjs';
import { Browser, refreshTokens, runFlow } from './flow.mjs';

const FORM = 'application/x-www-form-urlencoded';
const ccBody = `grant_type=client_credentials&scope=api&resource=${encodeURIComponent(AUDIENCE)}`;

/** fetch, retried once on a network error (a keep-alive socket the server closed while idle during the previous case). */
async function fetchRetry(url, init) {
  try {
    return await fetch(url, init);
  } catch (err) {
    process.stderr.write(`retrying ${url} after ${err.cause?.code ?? err.cause?.message ?? err.message}\n`);
    return fetch(url, init);
  }
}

async function post(url, headers, body) {
  const res = await fetchRetry(url, { method: 'POST', headers: { 'content-type': FORM, ...headers }, body });
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(`${url} → ${res.status} ${text}`);
  }
  return JSON.parse(text);
}

function tokenSpec(target, auth) {
  if (!target.fx) {
    return { url: target.base + '/token', headers: { 'content-type': FORM }, body: ccBody };
  }
  return {
    url: target.base + target.fx.tokenPath,
    headers: { 'content-type': FORM, authorization: target.fx[auth] },
    body: ccBody,
  };
}

/** A request the server must refuse: the same spec with a wrong client secret. */
export const wrongSecret = (spec) => ({
  ...spec,
  headers: {
    ...spec.headers,
    authorization: 'Basic ' + Buffer.from('bench-jwt:not-the-secret').toString('base64'),
  },
});

/** Verifies an ES256 access token against the server's JWKS (signature, issuer, audience). */
export async function verifyJwt(token, target) {
  const jwks = createRemoteJWKSet(new URL(target.base + target.fx.jwksPath));
  const { protectedHeader, payload } = await jwtVerify(token, jwks, {
    audience: AUDIENCE,
    issuer: target.issuer ?? target.base,
  });
  if (protectedHeader.alg !== 'ES256') {
    throw new Error(`expected ES256, got ${protectedHeader.alg}`);
  }
  return payload;
}

/** Flips one character of a JWT's signature: verification must fail. */
export const tamper = (jwt) => jwt.slice(0, -4) + (jwt.at(-4) === 'A' ? 'B' : 'A') + jwt.slice(-3);

async function checkToken(spec, target, { jwt }) {
  const body = await post(spec.url, spec.headers, spec.body);
  if (
    typeof body.access_token !== 'string' ||
    (target.fx && body.access_token.length < 20) ||
    body.token_type?.toLowerCase() !== 'bearer'
  ) {
    throw new Error(`no bearer access_token from ${spec.url}: ${JSON.stringify(body)}`);
  }
  if (jwt && target.fx) {
    await verifyJwt(body.access_token, target);
    // Self-test of the check: the same token with a flipped signature byte must not verify.
    let tampered = true;
    try {
      await verifyJwt(tamper(body.access_token), target);
      tampered = false;
    } catch {
      /* expected */
    }
    if (!tampered) {
      throw new Error('correctness check accepted a tampered JWT');
    }
  }
}

/**
 * client_credentials with a DPoP proof (RFC 9449): the answer must be `token_type: DPoP` and a JWT
 * bound to the proof's key (`cnf.jkt` = its thumbprint) that verifies against the server's JWKS; the
 * same proof sent again must be refused (replay: each proof is single use, one store write per request).
 * `spec.spoilProof` sends a proof whose signature does not match its key: the check must then fail.
 */
async function checkDpopToken(spec, target) {
  const key = dpopKey();
  let proof = dpopProof(key, 'POST', spec.dpop.htu);
  if (spec.spoilProof) {
    proof = tamper(proof);
  }
  const headers = { ...spec.headers, dpop: proof };
  const body = await post(spec.url, headers, spec.body);
  if (body.token_type !== 'DPoP' || typeof body.access_token !== 'string') {
    throw new Error(`no DPoP access_token from ${spec.url}: ${JSON.stringify(body)}`);
  }
  const claims = await verifyJwt(body.access_token, target);
  if (claims.cnf?.jkt !== key.jkt) {
    throw new Error(
      `access token not bound to the proof key: cnf ${JSON.stringify(claims.cnf)}, jkt ${key.jkt}`,
    );
  }
  const replay = await fetchRetry(spec.url, { method: 'POST', headers, body: spec.body });
  if (replay.status !== 400) {
    throw new Error(`a replayed DPoP proof was answered ${replay.status}, not 400: ${await replay.text()}`);
  }
}

/** Flow spoilers: the owner's password wrong (the login must be refused), or the client's secret. */
const wrongPassword = (spec) => ({ ...spec, target: { ...spec.target, password: 'not the password' } });
const wrongClientSecret = (spec) => ({
  ...spec,
  target: {
    ...spec.target,
    fx: { ...spec.target.fx, jwtAuth: wrongSecret({ headers: {} }).headers.authorization },
  },
});

export const cases = [
  {
    name: 'client_credentials → JWT ES256',
    servers: ['tessera', 'peer', 'floorSign'],
    prepare: (_s, target) => tokenSpec(target, 'jwtAuth'),
    check: (_s, target, spec) => checkToken(spec, target, { jwt: true }),
    spoil: wrongSecret,
  },
  {
    // Optional (BENCH_CLUSTER=1, or BENCH_CASES=cluster): measure only, no target. The JWT case against
    // Tessera as 2 node:cluster processes behind one port and as 1 process, both unpinned.
    name: 'client_credentials → JWT ES256, Tessera ×2 processes (node:cluster) against ×1, unpinned',
    optional: 'cluster',
    servers: ['cluster', 'single'],
    compare: ['cluster', 'single'],
    prepare: (_s, target) => tokenSpec(target, 'jwtAuth'),
    check: (_s, target, spec) => checkToken(spec, target, { jwt: true }),
    spoil: wrongSecret,
    note: 'measure only, no target. Both Tessera setups run unpinned on every core of the machine, which they share with the load generator (pinned to its core), PostgreSQL and Redis: on a 2-core machine the ratio says how far a second process helps when nothing else is free, not how 2 processes scale on dedicated cores. ×2 is node:cluster (bench/cluster.mjs: a primary handing connections round-robin to 2 workers; its CPU and RSS are counted with theirs).',
  },
  {
    // One proof signature check and one single-use (jti) store write per request on top of the JWT case;
    // the load worker signs a fresh proof per request (new jti and iat; node:crypto, cost reported).
    name: 'client_credentials + DPoP → JWT ES256',
    servers: ['tessera', 'peer'],
    prepare: (_s, target) => ({
      ...tokenSpec(target, 'jwtAuth'),
      dpop: { htu: target.base + target.fx.tokenPath },
    }),
    check: (_s, target, spec) => checkDpopToken(spec, target),
    spoil: (spec) => ({ ...spec, spoilProof: true }),
  },
  {
    name: 'client_credentials → opaque',
    servers: ['tessera', 'peer', 'floorJson'],
    prepare: (_s, target) => tokenSpec(target, 'opaqueAuth'),
    check: (_s, target, spec) => checkToken(spec, target, { jwt: false }),
    spoil: wrongSecret,
  },
  {
    name: 'introspection (active opaque token)',
    servers: ['tessera', 'peer'],
    prepare: async (_s, target) => {
      const issued = await post(
        target.base + target.fx.tokenPath,
        { authorization: target.fx.opaqueAuth },
        ccBody,
      );
      return {
        url: target.base + target.fx.introspectionPath,
        headers: { 'content-type': FORM, authorization: target.fx.introspectorAuth },
        body: `token=${encodeURIComponent(issued.access_token)}`,
      };
    },
    check: async (_s, _target, spec) => {
      const body = await post(spec.url, spec.headers, spec.body);
      if (body.active !== true) {
        throw new Error(`introspection says inactive: ${JSON.stringify(body)}`);
      }
    },
    // An unknown token must be reported inactive, which the check refuses.
    spoil: (spec) => ({ ...spec, body: 'token=' + 'x'.repeat(43) }),
  },
  {
    // Refresh with rotation: each connection walks its own chain (load-worker kind 'refresh'); the
    // initial refresh tokens come from real authorization-code flows, fresh for every round.
    name: 'refresh_token with rotation',
    servers: ['tessera', 'peer'],
    prepare: (_s, target) => ({
      url: target.base + target.fx.tokenPath,
      headers: { 'content-type': FORM, authorization: target.fx.jwtAuth },
      kind: 'refresh',
    }),
    refill: async (s, target, n) => ({ refreshTokens: await refreshTokens(s, target, n) }),
    check: async (s, target, spec) => {
      const [rt] = spec.refreshTokens ?? (await refreshTokens(s, target, 1));
      const body = await post(
        spec.url,
        spec.headers,
        `grant_type=refresh_token&refresh_token=${encodeURIComponent(rt)}`,
      );
      if (typeof body.refresh_token !== 'string' || body.refresh_token === rt) {
        throw new Error(`refresh did not rotate: ${JSON.stringify(body)}`);
      }
      await verifyJwt(body.access_token, target);
      // Rotation means the old token is now refused.
      const again = await fetch(spec.url, {
        method: 'POST',
        headers: spec.headers,
        body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(rt)}`,
      });
      if (again.status !== 400) {
        throw new Error(`a rotated-out refresh token was accepted (${again.status})`);
      }
    },
    spoil: (spec) => ({ ...spec, refreshTokens: ['not-a-refresh-token-0123456789abcdef0123456789'] }),
  },
  // The full authorization-code + PKCE flow, as flows per second with 1, 8 and 32 flows in flight.
  ...[1, 8, 32].map((concurrency) => ({
    name: `authorization code + PKCE flow, ${concurrency} in flight (flows/s)`,
    servers: ['tessera', 'peer'],
    worker: 'flow-worker.mjs',
    prepare: (s, target) => ({ server: s, target: { base: target.base, fx: target.fx }, concurrency }),
    check: async (s, target, spec) => {
      const body = await runFlow(s, spec.target);
      if (typeof body.refresh_token !== 'string') {
        throw new Error('the code exchange gave no refresh token');
      }
      await verifyJwt(body.access_token, target);
    },
    // A wrong password (no code may be issued), and wrong client credentials at the code exchange:
    // the flow must fail on each.
    spoil: [wrongPassword, wrongClientSecret],
    login: true,
  })),
  // The same flow in a browser that is already signed in (authorize → code → token): everything
  // but the login, i.e. without the argon2id verification; 1 in flight for the single-flow latency.
  ...[1, 8].map((concurrency) => ({
    name: `authorization code + PKCE flow, signed in (no login), ${concurrency} in flight (flows/s)`,
    servers: ['tessera', 'peer'],
    worker: 'flow-worker.mjs',
    prepare: (s, target) => ({
      server: s,
      target: { base: target.base, fx: target.fx },
      concurrency,
      signedIn: true,
    }),
    check: async (s, target, spec) => {
      const browser = new Browser(target.base);
      await runFlow(s, spec.target, browser);
      await verifyJwt((await runFlow(s, spec.target, browser)).access_token, target);
    },
    spoil: [wrongPassword, wrongClientSecret],
  })),
  {
    // Bearer-JWT validation on Tessera's sample protected API (GET /api/notes: RFC 9068 checks, scope
    // notes:read, then the subject's notes read from the database) against a node:http floor that
    // verifies one ES256 signature per request with node:crypto. oidc-provider ships no resource server.
    name: 'bearer JWT on the protected API (GET /api/notes)',
    servers: ['tessera', 'floorVerify'],
    prepare: async (s, target) => {
      const issued =
        s === 'tessera'
          ? await post(
              target.base + '/token',
              { authorization: target.fx.apiAuth },
              `grant_type=client_credentials&scope=notes%3Aread&resource=${encodeURIComponent(target.fx.apiAudience)}`,
            )
          : await post(target.base + '/token', {}, '');
      return {
        url: target.base + '/api/notes',
        method: 'GET',
        headers: { authorization: `Bearer ${issued.access_token}` },
      };
    },
    check: async (_s, _target, spec) => {
      const res = await fetchRetry(spec.url, { headers: spec.headers });
      const body = await res.json();
      if (res.status !== 200 || !Array.isArray(body.notes)) {
        throw new Error(`${spec.url} → ${res.status} ${JSON.stringify(body)}`);
      }
    },
    // A token with a flipped signature byte must be refused (401), which the check rejects.
    spoilFloors: true,
    spoil: (spec) => ({
      ...spec,
      headers: { authorization: `Bearer ${tamper(spec.headers.authorization.slice(7))}` },
    }),
  },
];
