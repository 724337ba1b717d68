import { isRepeated, param, type AuthorizeCheck } from '../authorize-context.js';
import { AuthorizePageError } from '../authorize-errors.js';

/** R-AUTHZ-7: a missing, repeated or unknown client_id is shown as a page, never redirected. */
export const checkClient: AuthorizeCheck = async (ctx, { clients }) => {
  if (isRepeated(ctx, 'client_id')) {
    throw new AuthorizePageError('client_id must not be provided twice');
  }
  const clientId = param(ctx, 'client_id');
  if (!clientId) {
    throw new AuthorizePageError('client_id is required');
  }
  const client = await clients.find(clientId);
  if (!client || client.disabled) {
    throw new AuthorizePageError('unknown client', 400, 'invalid_client');
  }
  ctx.client = client;
};
