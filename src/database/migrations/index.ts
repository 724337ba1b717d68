import { CreateAdminTokens1763769600000 } from './1763769600000-CreateAdminTokens.js';
import { CreateClients1763769600100 } from './1763769600100-CreateClients.js';
import { CreateOwners1763769600200 } from './1763769600200-CreateOwners.js';
import { CreateSigningKeys1763769603000 } from './1763769603000-CreateSigningKeys.js';
import { CreateRefreshTokens1763769604000 } from './1763769604000-CreateRefreshTokens.js';
import { CreateNotes1763769606000 } from './1763769606000-CreateNotes.js';

/** Every migration, in order. Never edit a merged migration; add a new one. */
export const migrations = [
  CreateAdminTokens1763769600000,
  CreateClients1763769600100,
  CreateOwners1763769600200,
  CreateSigningKeys1763769603000,
  CreateRefreshTokens1763769604000,
  CreateNotes1763769606000,
];
