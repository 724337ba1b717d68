import { createHash } from 'node:crypto';
import type { ClientEntity } from '../../clients/client.entity.js';
import type { ClientRegistry } from '../../clients/client-registry.js';
import type { AppConfig } from '../../config/app-config.js';
import { OAuthError } from '../../common/errors/oauth-error.js';
import { AudiencePolicy } from '../../resources/registry/audience-policy.js';
import { ResourceCatalog, type ResourceRegistry } from '../../resources/registry/resource-registry.js';
import { s256Matches } from '../../tokens/codes/pkce.js';
import { authorizationResponseUrl } from './authorization-response.js';
import type { RawParams } from './authorize-context.js';
import { AUTHORIZE_CHECKS, newAuthorizeContext, runAuthorizeChecks } from './authorize.pipeline.js';

const client = {
  clientId: 'app',
  disabled: false,
  redirectUris: ['https://app.example/cb'],
  grantTypes: ['authorization_code'],
  scope: 'openid read',
  allowedResources: ['https://api.example'],
} as unknown as ClientEntity;
const deps = {
  clients: {
    find: (id: string) => Promise.resolve(id === 'app' ? client : null),
  } as unknown as ClientRegistry,
  config: {} as AppConfig,
  audience: new AudiencePolicy(
    { catalog: () => Promise.resolve(new ResourceCatalog([], [])) } as unknown as ResourceRegistry,
    { env: {}, issuer: 'https://as.example' } as unknown as AppConfig,
  ),
};
const challenge = 'a'.repeat(43);
const valid: RawParams = {
  response_type: 'code',
  client_id: 'app',
  code_challenge: challenge,
  code_challenge_method: 'S256',
  state: 's',
};

async function run(params: RawParams) {
  const ctx = newAuthorizeContext(params);
  try {
    await runAuthorizeChecks(ctx, deps);
    return { ctx, error: undefined };
  } catch (err) {
    return { ctx, error: err as OAuthError };
  }
}

describe('authorize pipeline', () => {
  it('runs client and redirect URI checks first (R-AUTHZ-7)', () => {
    expect(AUTHORIZE_CHECKS.slice(0, 2).map((c) => c.name)).toEqual(['checkClient', 'checkRedirectUri']);
  });

  it('R-AUTHZ-12: an omitted scope defaults to the client registration', async () => {
    const { ctx, error } = await run(valid);
    expect(error).toBeUndefined();
    expect(ctx.scopes).toEqual(['openid', 'read']);
    expect(ctx.redirectUri).toBe('https://app.example/cb');
  });

  it('R-AUTHZ-7: errors before the redirect URI is verified never allow a redirect', async () => {
    const { error, ctx } = await run({ ...valid, redirect_uri: 'https://evil.example/cb' });
    expect(error?.allowRedirect).toBe(false);
    expect(ctx.redirectUriVerified).toBe(false);
  });

  it('R-PKCE-4: plain is refused after the redirect URI is verified', async () => {
    const { error, ctx } = await run({ ...valid, code_challenge_method: 'plain' });
    expect(error?.error).toBe('invalid_request');
    expect(error?.allowRedirect).toBe(true);
    expect(ctx.redirectUriVerified).toBe(true);
  });

  it('R-AUTHZ-2: resource may repeat, other parameters may not', async () => {
    const ok = await run({ ...valid, resource: ['https://api.example', 'https://API.example/'] });
    expect(ok.error).toBeUndefined();
    expect(ok.ctx.resources).toEqual(['https://api.example']);
    const dup = await run({ ...valid, response_type: ['code', 'code'] });
    expect(dup.error?.error).toBe('invalid_request');
  });
});

describe('authorization response URL', () => {
  it('R-AUTHZ-8/R-AUTHZ-10: keeps the redirect URI query, appends iss and URL-encodes values', () => {
    const url = new URL(
      authorizationResponseUrl(
        'https://app.example/cb?x=1',
        { code: 'c', state: 'a&b=c' },
        'https://as.example',
      ),
    );
    expect(url.searchParams.get('x')).toBe('1');
    expect(url.searchParams.get('state')).toBe('a&b=c');
    expect(url.searchParams.get('iss')).toBe('https://as.example');
  });
});

describe('S256', () => {
  it('R-PKCE-8: matches BASE64URL(SHA-256(verifier)) only', () => {
    const verifier = 'v'.repeat(50);
    const good = createHash('sha256').update(verifier).digest('base64url');
    expect(s256Matches(verifier, good)).toBe(true);
    expect(s256Matches(verifier + 'x', good)).toBe(false);
    expect(s256Matches(verifier, verifier)).toBe(false);
  });
});
