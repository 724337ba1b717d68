import { CreateAdminTokens1763769600000 } from './1763769600000-CreateAdminTokens.js';
import { CreateClients1763769600100 } from './1763769600100-CreateClients.js';
import { CreateOwners1763769600200 } from './1763769600200-CreateOwners.js';
import { CreateInitialAccessTokens1763769601000 } from './1763769601000-CreateInitialAccessTokens.js';
import { CreateSigningKeys1763769603000 } from './1763769603000-CreateSigningKeys.js';
import { CreateRefreshTokens1763769604000 } from './1763769604000-CreateRefreshTokens.js';
import { CreateConsentGrants1763769605000 } from './1763769605000-CreateConsentGrants.js';
import { CreateNotes1763769606000 } from './1763769606000-CreateNotes.js';
import { CreateResourceServers1765100000000 } from './1765100000000-CreateResourceServers.js';
import { OpenIdConnect1765300000000 } from './1765300000000-OpenIdConnect.js';
import { AddDpopAndParColumns1765400000000 } from './1765400000000-AddDpopAndParColumns.js';
import { CreateTokenExchangePolicies1765500000000 } from './1765500000000-CreateTokenExchangePolicies.js';
import { CreateAuditEvents1765700000000 } from './1765700000000-CreateAuditEvents.js';
import { WidenClientIdForMetadataDocuments1765800000000 } from './1765800000000-WidenClientIdForMetadataDocuments.js';
import { AddExchangedRefreshTokenFamilies1765900000000 } from './1765900000000-AddExchangedRefreshTokenFamilies.js';

/** Every migration, in order. Never edit a merged migration; add a new one. */
export const migrations = [
  CreateAdminTokens1763769600000,
  CreateClients1763769600100,
  CreateOwners1763769600200,
  CreateInitialAccessTokens1763769601000,
  CreateSigningKeys1763769603000,
  CreateRefreshTokens1763769604000,
  CreateConsentGrants1763769605000,
  CreateNotes1763769606000,
  CreateResourceServers1765100000000,
  OpenIdConnect1765300000000,
  AddDpopAndParColumns1765400000000,
  CreateTokenExchangePolicies1765500000000,
  CreateAuditEvents1765700000000,
  WidenClientIdForMetadataDocuments1765800000000,
  AddExchangedRefreshTokenFamilies1765900000000,
];
