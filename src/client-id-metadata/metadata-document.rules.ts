import { ClientEntity, type ClientExtraMetadata, type GrantType } from '../clients/client.entity.js';
import { MAX_REDIRECT_URIS, assertClientRules } from '../clients/client-metadata.rules.js';
import { OAuthError } from '../common/errors/oauth-error.js';

/** Metadata members that would hand the client a shared secret: never accepted (draft §4.1). */
const SECRET_MEMBERS = ['client_secret', 'client_secret_expires_at'] as const;
const EXTRA_MEMBERS = [
  'client_uri',
  'logo_uri',
  'tos_uri',
  'policy_uri',
  'software_id',
  'software_version',
] as const;

/** The document cannot be used; the description is shown on the error page or token response. */
export class MetadataDocumentInvalid extends Error {}

const fail = (message: string): never => {
  throw new MetadataDocumentInvalid(message);
};

const strings = (value: unknown, name: string): string[] | undefined => {
  if (value === undefined) {
    return undefined;
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    fail(`${name} must be an array of strings`);
  }
  return value as string[];
};

/**
 * Turns a fetched metadata document into an (unsaved) client, or throws MetadataDocumentInvalid
 * (draft-ietf-oauth-client-id-metadata-document §4; R-MCP-6): a JSON object; `client_id`
 * equal to the URL it was fetched from, character for character; `client_name` and
 * `redirect_uris` present; `token_endpoint_auth_method` `none` (the default) or
 * `private_key_jwt` with `jwks` or `jwks_uri`; no secrets. The shared registration rules
 * (redirect URIs, grant types, keys) apply as for any client. `scope`, when given, bounds what
 * the client may ask for (unknown names dropped); absent, any configured scope may be asked for
 * and the owner's consent decides.
 */
export function clientFromMetadataDocument(
  url: string,
  body: Buffer,
  knownScopes: readonly string[],
): ClientEntity {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    fail('the client metadata document is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    fail('the client metadata document must be a JSON object');
  }
  const d = doc as Record<string, unknown>;
  if (d.client_id !== url) {
    fail('the client_id in the metadata document does not equal the URL it was fetched from');
  }
  for (const member of SECRET_MEMBERS) {
    if (member in d) {
      fail(`the metadata document must not contain ${member}`);
    }
  }
  const clientName = typeof d.client_name === 'string' ? d.client_name.trim() : '';
  if (clientName === '') {
    fail('the metadata document must contain client_name');
  }
  const method = d.token_endpoint_auth_method ?? 'none';
  if (method !== 'none' && method !== 'private_key_jwt') {
    fail('token_endpoint_auth_method must be none or private_key_jwt (no shared secrets)');
  }
  const authMethod = method as 'none' | 'private_key_jwt';
  const redirectUris =
    strings(d.redirect_uris, 'redirect_uris') ?? fail('the metadata document must contain redirect_uris');
  if (redirectUris.length === 0 || redirectUris.length > MAX_REDIRECT_URIS) {
    fail(`redirect_uris must list 1 to ${MAX_REDIRECT_URIS} URIs`);
  }
  const grantTypes = strings(d.grant_types, 'grant_types') ?? ['authorization_code'];
  const responseTypes = strings(d.response_types, 'response_types') ?? ['code'];
  const requested = typeof d.scope === 'string' ? d.scope.split(' ').filter(Boolean) : undefined;
  const scope = (requested ?? knownScopes).filter((s) => knownScopes.includes(s)).join(' ');
  const jwks = (d.jwks ?? null) as ClientEntity['jwks'];
  const jwksUri = typeof d.jwks_uri === 'string' ? d.jwks_uri : null;
  if (d.jwks_uri !== undefined && jwksUri === null) {
    fail('jwks_uri must be a string');
  }
  try {
    assertClientRules(
      { tokenEndpointAuthMethod: authMethod, grantTypes, responseTypes, redirectUris, scope, jwks, jwksUri },
      knownScopes,
    );
  } catch (err) {
    throw err instanceof OAuthError ? new MetadataDocumentInvalid(err.description ?? err.message) : err;
  }
  const metadata: ClientExtraMetadata = {};
  for (const member of EXTRA_MEMBERS) {
    if (typeof d[member] === 'string') {
      metadata[member] = d[member].slice(0, 2000);
    }
  }
  const now = new Date();
  return Object.assign(new ClientEntity(), {
    clientId: url,
    clientName: clientName.slice(0, 200),
    tokenEndpointAuthMethod: authMethod,
    redirectUris,
    grantTypes: grantTypes as GrantType[],
    responseTypes,
    scope,
    allowedResources: [],
    defaultResource: null,
    jwks,
    jwksUri,
    accessTokenTtl: null,
    refreshTokenTtl: null,
    accessTokenFormat: 'jwt',
    refreshTokenRotation: true,
    canIntrospect: false,
    firstParty: false,
    disabled: false,
    secretHash: null,
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    registrationTokenHash: null,
    dynamicallyRegistered: false,
    metadata,
    createdAt: now,
    updatedAt: now,
  } satisfies Partial<ClientEntity>);
}
