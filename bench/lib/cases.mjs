import { createRemoteJWKSet, jwtVerify } from 'jose';
import { AUDIENCE } from './fixtures.mjs';

const FORM = 'application/x-www-form-urlencoded';
const ccBody = `grant_type=client_credentials&scope=api&resource=${encodeURIComponent(AUDIENCE)}`;

async function post(url, headers, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': FORM, ...headers }, body });
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
  return { url: target.base + target.fx.tokenPath, headers: { 'content-type': FORM, authorization: target.fx[auth] }, body: ccBody };
}

async function checkToken(spec, target, { jwt }) {
  const body = await post(spec.url, spec.headers, spec.body);
  if (!body.access_token) {
    throw new Error(`no access_token from ${spec.url}`);
  }
  if (jwt && target.fx) {
    const jwks = createRemoteJWKSet(new URL(target.base + target.fx.jwksPath));
    const { protectedHeader } = await jwtVerify(body.access_token, jwks, { audience: AUDIENCE });
    if (protectedHeader.alg !== 'ES256') {
      throw new Error(`expected ES256, got ${protectedHeader.alg}`);
    }
  }
}

export const cases = [
  {
    name: 'client_credentials → JWT ES256',
    servers: ['tessera', 'peer', 'floorSign'],
    prepare: (_s, target) => tokenSpec(target, 'jwtAuth'),
    check: (_s, target, spec) => checkToken(spec, target, { jwt: true }),
  },
  {
    name: 'client_credentials → opaque',
    servers: ['tessera', 'peer', 'floorJson'],
    prepare: (_s, target) => tokenSpec(target, 'opaqueAuth'),
    check: (_s, target, spec) => checkToken(spec, target, { jwt: false }),
  },
  {
    name: 'introspection (active opaque token)',
    servers: ['tessera', 'peer'],
    prepare: async (_s, target) => {
      const issued = await post(target.base + target.fx.tokenPath, { authorization: target.fx.opaqueAuth }, ccBody);
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
  },
];
