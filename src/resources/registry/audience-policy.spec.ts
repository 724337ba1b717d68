import type { ClientEntity } from '../../clients/client.entity.js';
import type { AppConfig } from '../../config/app-config.js';
import { OAuthError } from '../../common/errors/oauth-error.js';
import { AudiencePolicy } from './audience-policy.js';
import type { ResourceEntity } from './resource.entity.js';
import { ResourceCatalog, type ResourceRegistry } from './resource-registry.js';

const resource = (
  identifier: string,
  policy: ResourceEntity['clientPolicy'],
  scopes: string[],
  listed: string[] = [],
) =>
  ({
    identifier,
    clientPolicy: policy,
    scopes: scopes.map((name) => ({ name, description: name })),
    listedClients: listed,
    accessTokenFormat: null,
    accessTokenTtl: null,
  }) as unknown as ResourceEntity;

const catalog = new ResourceCatalog(
  [
    resource('https://notes.example', 'any', ['notes:read']),
    resource('https://reports.example', 'listed', ['reports:read'], ['listed-client']),
    resource('https://internal.example', 'first_party', ['internal']),
  ],
  [{ name: 'openid', description: 'Sign in' }],
);
const policy = new AudiencePolicy(
  { catalog: () => Promise.resolve(catalog) } as unknown as ResourceRegistry,
  { env: {}, issuer: 'https://as.example' } as unknown as AppConfig,
);
const client = (fields: Partial<ClientEntity> = {}) =>
  ({
    clientId: 'c1',
    allowedResources: [],
    firstParty: false,
    defaultResource: null,
    ...fields,
  }) as ClientEntity;

async function error(promise: Promise<unknown>): Promise<{ error: string; description?: string }> {
  try {
    await promise;
  } catch (err) {
    return { error: (err as OAuthError).error, description: (err as OAuthError).description };
  }
  throw new Error('expected an OAuth error');
}

describe('AudiencePolicy (issue 11: the audience rules in one place)', () => {
  it('R-AT-6: policies any, listed (on the resource or the client) and first_party', async () => {
    expect(
      (await policy.forClient(client(), ['https://NOTES.example/'], 'notes:read', true)).identifier,
    ).toBe('https://notes.example');
    expect(await error(policy.forClient(client(), ['https://reports.example'], '', false))).toEqual({
      error: 'invalid_target',
      description: 'client may not request this resource (policy listed: the client is not listed)',
    });
    await policy.forClient(client({ clientId: 'listed-client' }), ['https://reports.example'], '', false);
    await policy.forClient(
      client({ allowedResources: ['https://reports.example/'] }),
      ['https://reports.example'],
      '',
      false,
    );
    expect(
      (await error(policy.forClient(client(), ['https://internal.example'], '', false))).description,
    ).toBe('client may not request this resource (policy first_party)');
    await policy.forClient(client({ firstParty: true }), ['https://internal.example'], '', false);
    expect(await error(policy.forClient(client(), ['https://x.example/#f'], '', false))).toEqual({
      error: 'invalid_target',
      description: 'resource must be an absolute URI without a fragment',
    });
    expect(
      (await error(policy.forClient(client(), ['https://unknown.example'], '', false))).description,
    ).toBe('resource is not registered');
  });

  it('R-AT-8: no resource → default resource, else the scopes’ resource, else the issuer', async () => {
    expect((await policy.forClient(client(), [], 'openid', true)).identifier).toBe('https://as.example');
    expect((await policy.forClient(client(), [], 'notes:read', true)).identifier).toBe(
      'https://notes.example',
    );
    // OpenID Connect: openid keeps the issuer (userinfo) and every requested scope.
    expect(await policy.forClient(client(), [], 'openid notes:read', true)).toMatchObject({
      identifier: 'https://as.example',
      scope: 'openid notes:read',
    });
    const withDefault = client({ defaultResource: 'https://notes.example' });
    expect((await policy.forClient(withDefault, [], 'openid', true)).identifier).toBe(
      'https://notes.example',
    );
    expect((await error(policy.forClient(withDefault, [], 'reports:read', true))).error).toBe(
      'invalid_scope',
    );
    expect((await error(policy.forClient(client(), [], 'notes:read internal', true))).error).toBe(
      'invalid_scope',
    );
  });

  it('R-AT-5: explicit scopes of another resource are refused; a grant’s are dropped from the token', async () => {
    expect(
      await error(policy.forClient(client(), ['https://notes.example'], 'notes:read internal', true)),
    ).toEqual({
      error: 'invalid_scope',
      description: 'scope internal belongs to resource https://internal.example, and it was not requested',
    });
    const token = await policy.forGrant(
      client({ firstParty: true }),
      [],
      ['https://notes.example', 'https://internal.example'],
      'openid notes:read internal',
    );
    expect(token).toMatchObject({ identifier: 'https://notes.example', scope: 'openid notes:read' });
    const other = await policy.forGrant(
      client({ firstParty: true }),
      ['https://internal.example'],
      ['https://notes.example', 'https://internal.example'],
      'openid notes:read internal',
    );
    expect(other.scope).toBe('openid internal');
  });

  it('R-AT-7: a resource outside the grant blames the grant; inside it, the policy still applies', async () => {
    expect(
      (
        await error(
          policy.forGrant(client(), ['https://reports.example'], ['https://notes.example'], 'openid'),
        )
      ).description,
    ).toBe('the grant does not include this resource');
    expect(
      (await error(policy.forGrant(client(), [], ['https://internal.example'], 'internal'))).description,
    ).toBe('client may not request this resource (policy first_party)');
    expect(policy.admits(catalog, client(), 'https://notes.example')).toBe(true);
    expect(policy.admits(catalog, client(), 'https://reports.example')).toBe(false);
  });

  it('authorization requests may name several resources; scopes must belong to one of them', async () => {
    const decided = await policy.forAuthorization(
      client({ clientId: 'listed-client' }),
      ['https://notes.example', 'https://reports.example'],
      ['openid', 'notes:read', 'reports:read'],
      true,
    );
    expect(decided).toEqual({
      resources: ['https://notes.example', 'https://reports.example'],
      scopes: ['openid', 'notes:read', 'reports:read'],
    });
    const implied = await policy.forAuthorization(client(), [], ['notes:read'], true);
    expect(implied.resources).toEqual(['https://notes.example']);
  });
});
