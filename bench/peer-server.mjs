// panva/oidc-provider 9.x configured for the same work as Tessera: ES256 JWT and opaque access tokens
// for client_credentials (with or without DPoP), introspection, refresh tokens rotated on every use, PKCE S256, in-memory adapter.
// Started by run.mjs as its own process: node peer-server.mjs <port> <fixtures.json>
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [port, fixturesPath] = process.argv.slice(2);
const fixtures = JSON.parse(readFileSync(fixturesPath, 'utf8'));
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'ES256', use: 'sig' };
const audience = fixtures.audience;

const provider = new Provider(issuer, {
  clients: fixtures.peerClients,
  jwks: { keys: [jwk] },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: () => true },
    revocation: { enabled: true },
    devInteractions: { enabled: true },
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

createServer(provider.callback()).listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
