import type { OwnerEntity } from '../owners/owner.entity.js';
import type { OwnerSession } from './owner-session.service.js';

/**
 * A session is live while its owner exists, is enabled and has not changed password since the
 * session's password check (issue 16 M2). /authorize and /account apply this same rule.
 */
export function isSessionLive(session: OwnerSession | null, owner: OwnerEntity | null): boolean {
  return (
    !!session &&
    !!owner &&
    owner.id === session.ownerId &&
    !owner.disabled &&
    owner.passwordChangedAt.getTime() <= session.authTime * 1000 + 999
  );
}
