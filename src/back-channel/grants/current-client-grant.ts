import type { ClientEntity } from '../../clients/client.entity.js';
import { normalizeResource } from './resource.js';
import { parseScope } from './scope.js';

export interface GrantReach {
  /** Space-delimited scope. */
  scope: string;
  resources: string[];
}

/**
 * Issue 16 L7: what a stored grant may still reach at refresh time — its scope and resources
 * intersected with the client's CURRENT registration, so an admin's narrowing of the client takes
 * effect on the next refresh (the stored grant is left as it is). The one place that knows where
 * a client's allowed resources live.
 */
export function currentClientReach(client: ClientEntity, grant: GrantReach): GrantReach {
  const clientScopes = new Set(parseScope(client.scope));
  const allowed = new Set(
    client.allowedResources.map((r) => normalizeResource(r)).filter((r): r is string => r !== null),
  );
  const normalized = (r: string): string => normalizeResource(r) ?? r;
  return {
    scope: parseScope(grant.scope)
      .filter((s) => clientScopes.has(s))
      .join(' '),
    resources: grant.resources.filter((r) => allowed.has(normalized(r))),
  };
}
