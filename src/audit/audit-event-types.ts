/** Every audit event type (docs/operations.md "Audit events" describes each). */
export const AUDIT_EVENT_TYPES = [
  'client.created',
  'client.updated',
  'client.deleted',
  'client.secret_rotated',
  'owner.created',
  'owner.updated',
  'owner.disabled',
  'owner.enabled',
  'owner.password_reset',
  'owner.erased',
  'consent.granted',
  'consent.revoked',
  'grant.revoked',
  'refresh_token.reuse_detected',
  'key.rotated',
  'initial_access_token.created',
  'initial_access_token.used',
  'initial_access_token.revoked',
  'admin.authentication_failed',
  'login.succeeded',
  'login.failed',
  'webhook.endpoint_created',
  'webhook.endpoint_updated',
  'webhook.endpoint_deleted',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
