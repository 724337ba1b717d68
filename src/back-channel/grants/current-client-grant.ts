import type { ClientEntity } from '../../clients/client.entity.js';
import { parseScope } from './scope.js';

/**
 * Issue 16 L7: the scope a stored grant may still reach at refresh time — its scope intersected
 * with the client's CURRENT registration, so an admin's narrowing of the client takes effect on the
 * next refresh (the stored grant is left as it is). Resources are narrowed by the registry's client
 * policy (`AudiencePolicy.forGrant`).
 */
export function currentClientScope(client: ClientEntity, grantScope: string): string {
  const clientScopes = new Set(parseScope(client.scope));
  return parseScope(grantScope)
    .filter((s) => clientScopes.has(s))
    .join(' ');
}
