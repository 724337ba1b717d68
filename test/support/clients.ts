import { randomBytes } from 'node:crypto';
import { ClientEntity } from '../../src/clients/client.entity.js';
import { ClientRegistry } from '../../src/clients/client-registry.js';
import { hashSecret } from '../../src/common/crypto/secret-hash.js';
import type { TestApp } from './create-test-app.js';

export interface TestClient {
  client: ClientEntity;
  clientId: string;
  /** The plain secret (empty for public and private_key_jwt clients). */
  secret: string;
}

/**
 * Inserts a client row directly (before the admin clients API exists): a confidential
 * client_secret_basic client allowed client_credentials and refresh_token, scope "read write",
 * one allowed resource. Any field can be overridden.
 */
export async function createClient(
  app: TestApp,
  overrides: Partial<ClientEntity> & { secret?: string } = {},
): Promise<TestClient> {
  const { secret: givenSecret, ...fields } = overrides;
  const method = fields.tokenEndpointAuthMethod ?? 'client_secret_basic';
  const secret = method.startsWith('client_secret')
    ? (givenSecret ?? randomBytes(24).toString('base64url'))
    : '';
  const now = new Date();
  const client = Object.assign(new ClientEntity(), {
    clientId: `c-${randomBytes(8).toString('hex')}`,
    clientName: 'test client',
    tokenEndpointAuthMethod: method,
    redirectUris: [],
    grantTypes: ['client_credentials', 'refresh_token'],
    responseTypes: [],
    scope: 'read write',
    allowedResources: ['https://api.example.com'],
    jwks: null,
    jwksUri: null,
    accessTokenTtl: null,
    refreshTokenTtl: null,
    accessTokenFormat: 'jwt',
    refreshTokenRotation: true,
    canIntrospect: false,
    firstParty: false,
    disabled: false,
    secretHash: secret ? hashSecret(secret) : null,
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    registrationTokenHash: null,
    dynamicallyRegistered: false,
    metadata: {},
    createdAt: now,
    updatedAt: now,
    ...fields,
  } satisfies Partial<ClientEntity>);
  await app.shared.dataSource.getRepository(ClientEntity).save(client);
  return { client, clientId: client.clientId, secret };
}

/** Changes a client row and evicts it from the registry cache of both apps. */
export async function updateClient(
  app: TestApp,
  clientId: string,
  changes: Partial<ClientEntity>,
): Promise<void> {
  const repository = app.shared.dataSource.getRepository(ClientEntity);
  const client = await repository.findOneByOrFail({ clientId });
  await repository.save(Object.assign(client, changes, { updatedAt: new Date() }));
  await app.publicApp.get(ClientRegistry, { strict: false }).changed(clientId);
  await new Promise((resolve) => setTimeout(resolve, 20)); // pub/sub delivery is asynchronous
}

/** RFC 6749 §2.3.1: form-url-encode each half, then base64 (R-CAUTH-3). */
export function basicAuth(clientId: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString('base64')}`;
}

/** A form body; array values become repeated parameters. */
export function form(params: Record<string, string | string[] | undefined>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      body.append(name, v);
    }
  }
  return body.toString();
}

/**
 * The usual cast of the token tests: two confidential clients, a public refresh client and an
 * introspecting resource server for https://api.example.com.
 */
export async function createTokenTestClients(
  app: TestApp,
): Promise<{ conf: TestClient; other: TestClient; pub: TestClient; rs: TestClient }> {
  return {
    conf: await createClient(app),
    other: await createClient(app),
    pub: await createClient(app, { tokenEndpointAuthMethod: 'none', grantTypes: ['refresh_token'] }),
    rs: await createClient(app, {
      canIntrospect: true,
      grantTypes: [],
      allowedResources: ['https://api.example.com'],
    }),
  };
}
