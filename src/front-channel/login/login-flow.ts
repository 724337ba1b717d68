import type { ClientEntity } from '../../clients/client.entity.js';
import type { PendingAuthorization } from '../authorize/pending-authorization.store.js';

/** What LoginGuard leaves on the request for LoginController. */
export interface LoginFlow {
  /** Absent for a sign-in started from /account. */
  pendingId?: string;
  pending?: PendingAuthorization;
  client?: ClientEntity;
}

const flows = new WeakMap<object, LoginFlow>();

export const setLoginFlow = (request: object, flow: LoginFlow): void => {
  flows.set(request, flow);
};
export const loginFlowOf = (request: object): LoginFlow => flows.get(request) ?? {};

/** What the CSRF token of a login form is bound to: the pending request and this browser. */
export const loginBinding = (pendingId: string | undefined, browserId: string): string =>
  `${pendingId ?? 'account'}:${browserId}`;
