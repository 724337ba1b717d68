import { writeFileSync } from 'node:fs';

export const AUDIENCE = 'https://api.bench.example';
export const REDIRECT_URI = 'http://127.0.0.1:9/cb';
/** The resource owner who signs in during the flows (both servers verify the password with argon2id). */
export const OWNER = { username: 'bench-owner', password: 'bench owner password 0123456789' };
const SECRET = 'bench-peer-secret-0123456789abcdef0123456789abcdef';

async function admin(adminBase, token, path, body) {
  const res = await fetch(adminBase + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    throw new Error(`admin ${path} → ${res.status} ${await res.text()}`);
  }
  return res.json();
}

/** Registers the benchmark's clients and owner through Tessera's admin API. */
export async function setUpTessera(base, adminBase, adminToken) {
  const confidential = (name, format, extra = {}) =>
    admin(adminBase, adminToken, '/admin/clients', {
      client_name: name,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
      redirect_uris: [REDIRECT_URI],
      response_types: ['code'],
      scope: 'api profile offline_access',
      allowed_resources: [AUDIENCE],
      access_token_format: format,
      ...extra,
    });
  const jwt = await confidential('bench-jwt', 'jwt');
  const opaque = await confidential('bench-opaque', 'opaque');
  const introspector = await confidential('bench-rs', 'jwt', { can_introspect: true });
  await admin(adminBase, adminToken, '/admin/owners', OWNER);
  // A client of Tessera's sample protected API (audience ISSUER/api, scope notes:read).
  const apiClient = await confidential('bench-api', 'jwt', {
    scope: 'notes:read',
    allowed_resources: [`${base}/api`],
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  });
  const basic = (c) =>
    'Basic ' +
    Buffer.from(`${encodeURIComponent(c.client_id)}:${encodeURIComponent(c.client_secret)}`).toString(
      'base64',
    );
  return {
    tokenPath: '/token',
    authorizePath: '/authorize',
    flowClientId: jwt.client_id,
    introspectionPath: '/introspect',
    jwksPath: '/jwks',
    jwtAuth: basic(jwt),
    opaqueAuth: basic(opaque),
    introspectorAuth: basic(introspector),
    apiAuth: basic(apiClient),
    apiAudience: `${base}/api`,
  };
}

/** oidc-provider's clients (static configuration, in-memory adapter). */
export function setUpPeer(file) {
  const client = (id) => ({
    client_id: id,
    client_secret: SECRET,
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    redirect_uris: [REDIRECT_URI],
    response_types: ['code'],
    scope: 'openid offline_access api profile',
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
  });
  writeFileSync(
    file,
    JSON.stringify({
      audience: AUDIENCE,
      owner: OWNER,
      peerClients: [client('bench-jwt'), client('bench-opaque'), client('bench-rs')],
    }),
  );
  const basic = (id) => 'Basic ' + Buffer.from(`${id}:${SECRET}`).toString('base64');
  return {
    tokenPath: '/token',
    authorizePath: '/auth',
    flowClientId: 'bench-jwt',
    introspectionPath: '/token/introspection',
    jwksPath: '/jwks',
    jwtAuth: basic('bench-jwt'),
    opaqueAuth: basic('bench-opaque'),
    introspectorAuth: basic('bench-rs'),
  };
}
