import { clientIdUrlProblem, hostMatches } from './client-id-url.js';
import { clientFromMetadataDocument } from './metadata-document.rules.js';

const URL_ID = 'https://app.example.com/oauth/client.json';
const KNOWN = ['openid', 'mcp:tools', 'mcp:admin'];
const doc = (extra: Record<string, unknown> = {}): Buffer =>
  Buffer.from(
    JSON.stringify({
      client_id: URL_ID,
      client_name: 'App',
      redirect_uris: ['http://localhost:3000/cb'],
      ...extra,
    }),
  );

describe('client metadata document rules (R-MCP-6)', () => {
  it('R-MCP-6: a minimal document makes a public code client; absent scope allows every known scope', () => {
    const client = clientFromMetadataDocument(URL_ID, doc(), KNOWN);
    expect(client).toMatchObject({
      clientId: URL_ID,
      clientName: 'App',
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['authorization_code'],
      responseTypes: ['code'],
      scope: 'openid mcp:tools mcp:admin',
      firstParty: false,
      secretHash: null,
    });
  });

  it('R-MCP-6: scope bounds the client, unknown scopes dropped', () => {
    expect(clientFromMetadataDocument(URL_ID, doc({ scope: 'mcp:tools other' }), KNOWN).scope).toBe(
      'mcp:tools',
    );
  });

  it.each([
    ['not JSON', Buffer.from('{'), 'not valid JSON'],
    ['an array', Buffer.from('[]'), 'JSON object'],
    ['client_id one character off', doc({ client_id: `${URL_ID}x` }), 'does not equal'],
    ['client_id differing in case', doc({ client_id: URL_ID.replace('app', 'App') }), 'does not equal'],
    ['no client_name', doc({ client_name: undefined }), 'client_name'],
    ['no redirect_uris', doc({ redirect_uris: undefined }), 'redirect_uris'],
    ['empty redirect_uris', doc({ redirect_uris: [] }), 'redirect_uris'],
    ['a client_secret', doc({ client_secret: 'x' }), 'client_secret'],
    [
      'client_secret_basic',
      doc({ token_endpoint_auth_method: 'client_secret_basic' }),
      'none or private_key_jwt',
    ],
    ['private_key_jwt without keys', doc({ token_endpoint_auth_method: 'private_key_jwt' }), 'jwks'],
    ['an http redirect URI', doc({ redirect_uris: ['http://app.example.com/cb'] }), 'https'],
    ['the implicit grant', doc({ grant_types: ['implicit'] }), 'not supported'],
  ])('R-MCP-6: refuses %s', (_name, body, message) => {
    expect(() => clientFromMetadataDocument(URL_ID, body, KNOWN)).toThrow(message);
  });
});

describe('client_id URLs and host lists (R-MCP-5, R-MCP-8)', () => {
  it.each([
    ['https://app.example.com/', 'path'],
    ['https://app.example.com', 'path'],
    ['http://app.example.com/c.json', 'https'],
    ['https://u:p@app.example.com/c.json', 'credentials'],
    ['https://app.example.com/c.json#x', 'fragment'],
    ['https://app.example.com/a/../c.json', 'normal form'],
    ['https://APP.example.com/c.json', 'normal form'],
    ['https://app.example.com:443/c.json', 'normal form'],
    [`https://app.example.com/${'a'.repeat(300)}`, 'longer'],
  ])('R-MCP-5: %s is not a metadata document URL (%s)', (value, why) => {
    expect(clientIdUrlProblem(value)).toContain(why);
  });

  it('R-MCP-5: a normal https URL with a path is', () => {
    expect(clientIdUrlProblem(URL_ID)).toBeNull();
  });

  it('R-MCP-8: exact hosts and ".domain" suffixes', () => {
    expect(hostMatches('app.example.com', ['.example.com'])).toBe(true);
    expect(hostMatches('example.com', ['.example.com'])).toBe(false);
    expect(hostMatches('evilexample.com', ['.example.com'])).toBe(false);
    expect(hostMatches('app.example.com', ['app.example.com'])).toBe(true);
  });
});
