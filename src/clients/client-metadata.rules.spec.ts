import { InvalidClientMetadata, InvalidRedirectUriMetadata } from '../common/errors/oauth-error.js';
import {
  assertClientRules,
  defaultResponseTypes,
  type ClientProtocolSettings,
} from './client-metadata.rules.js';

const SCOPES = ['openid', 'profile', 'offline_access'];
const base: ClientProtocolSettings = {
  tokenEndpointAuthMethod: 'client_secret_basic',
  grantTypes: ['authorization_code', 'refresh_token'],
  responseTypes: ['code'],
  redirectUris: ['https://app.example.com/cb'],
  scope: 'openid profile',
  jwks: null,
  jwksUri: null,
};
const check = (changes: Partial<ClientProtocolSettings>) => () =>
  assertClientRules({ ...base, ...changes }, SCOPES);
const jwks = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] };

describe('client metadata rules', () => {
  it('accepts a well-formed confidential web client', () => {
    expect(check({})).not.toThrow();
  });

  it.each<[string, Partial<ClientProtocolSettings>]>([
    ['R-REG-6: implicit', { grantTypes: ['implicit'] }],
    ['R-REG-6: password', { grantTypes: ['password'] }],
    ['R-REG-6: response_type token', { responseTypes: ['token'] }],
    [
      'R-CLI-5: public client_credentials',
      {
        tokenEndpointAuthMethod: 'none',
        grantTypes: ['client_credentials'],
        responseTypes: [],
        redirectUris: [],
      },
    ],
    [
      'R-REG-4: jwks and jwks_uri',
      { tokenEndpointAuthMethod: 'private_key_jwt', jwks, jwksUri: 'https://a.example/jwks' },
    ],
    ['R-REG-4: private_key_jwt without keys', { tokenEndpointAuthMethod: 'private_key_jwt' }],
    ['R-REG-4: private keys in jwks', { jwks: { keys: [{ kty: 'EC', d: 'secret' }] } }],
    ['R-REG-4: code response without the code grant', { grantTypes: ['client_credentials'] }],
    ['R-REG-4: code grant without code response', { responseTypes: [] }],
    ['unknown auth method', { tokenEndpointAuthMethod: 'client_secret_jwt' }],
    ['duplicate grant types', { grantTypes: ['authorization_code', 'authorization_code'] }],
    ['empty grant types', { grantTypes: [], responseTypes: [] }],
    ['refresh_token alone', { grantTypes: ['refresh_token'], responseTypes: [] }],
    ['unknown scope', { scope: 'openid admin' }],
    ['http jwks_uri', { tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: 'http://a.example/jwks' }],
  ])('%s is invalid_client_metadata', (_name, changes) => {
    expect(check(changes)).toThrow(InvalidClientMetadata);
  });

  it.each<[string, Partial<ClientProtocolSettings>]>([
    ['R-REG-5: code grant without redirect URIs', { redirectUris: [] }],
    ['R-CLI-6: wildcard', { redirectUris: ['https://*.example.com/cb'] }],
    ['R-CLI-8: plain http', { redirectUris: ['http://app.example.com/cb'] }],
  ])('%s is invalid_redirect_uri', (_name, changes) => {
    expect(check(changes)).toThrow(InvalidRedirectUriMetadata);
  });

  it('R-CLI-5: client_credentials is fine for confidential clients, without redirect URIs', () => {
    expect(check({ grantTypes: ['client_credentials'], responseTypes: [], redirectUris: [] })).not.toThrow();
  });

  it('R-REG-4: omitted response_types follow the grant types', () => {
    expect(defaultResponseTypes(['authorization_code'])).toEqual(['code']);
    expect(defaultResponseTypes(['client_credentials'])).toEqual([]);
  });
});
