import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity.js';
import { WebhookEndpointEntity } from '../webhooks/webhook-endpoint.entity.js';
import { AdminTokenEntity } from '../admin/admin-token.entity.js';
import { BackchannelLogoutEntity } from '../oidc/backchannel/backchannel-logout.entity.js';
import { ClientEntity } from '../clients/client.entity.js';
import { ConsentGrantEntity } from '../consent/consent-grant.entity.js';
import { OwnerEntity } from '../owners/owner.entity.js';
import { ResourceEntity } from '../resources/registry/resource.entity.js';
import { NoteEntity } from '../resources/sample-api/notes/note.entity.js';
import { InitialAccessTokenEntity } from '../registration/initial-access-token.entity.js';
import { SigningKeyEntity } from '../keys/signing-key.entity.js';
import { RefreshTokenFamilyEntity } from '../tokens/refresh-tokens/refresh-token-family.entity.js';
import { RefreshTokenEntity } from '../tokens/refresh-tokens/refresh-token.entity.js';
import { TokenExchangePolicyEntity } from '../token-exchange/token-exchange-policy.entity.js';
import { TrustedIssuerEntity } from '../token-exchange/trusted-issuer.entity.js';

/** Every TypeORM entity; feature modules add theirs here. */
export const entities = [
  AdminTokenEntity,
  ClientEntity,
  OwnerEntity,
  InitialAccessTokenEntity,
  SigningKeyEntity,
  RefreshTokenFamilyEntity,
  RefreshTokenEntity,
  NoteEntity,
  ConsentGrantEntity,
  ResourceEntity,
  BackchannelLogoutEntity,
  TokenExchangePolicyEntity,
  TrustedIssuerEntity,
  AuditEventEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
];
