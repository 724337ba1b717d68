import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditWriter } from '../audit/audit-writer.js';
import { hashSecret } from '../common/crypto/secret-hash.js';
import { ConsentGrantEntity } from '../consent/consent-grant.entity.js';
import { Transactions } from '../database/transactions.js';
import { NoteEntity } from '../resources/sample-api/notes/note.entity.js';
import { RefreshTokenFamilyEntity } from '../tokens/refresh-tokens/refresh-token-family.entity.js';
import { RefreshTokenService } from '../tokens/refresh-tokens/refresh-token.service.js';
import { OwnerEntity } from './owner.entity.js';
import { OwnersService } from './owners.service.js';

export interface ErasureResult {
  /** The id the owner's audit events now carry instead of theirs. */
  pseudonym: string;
  grantsRevoked: number;
  consentsDeleted: number;
}

/**
 * Right to erasure (GDPR art. 17): removes an owner for good in one transaction — every grant
 * family revoked (and unlinked from the owner), remembered consents and
 * sample-API notes deleted, the owner row (username, display name, e-mail, password hash)
 * deleted — and re-labels the owner's audit events with a random pseudonym, dropping their
 * source addresses. Sessions die with the row (every session check reads the owner). Used by
 * DELETE /admin/owners/:id and the admin CLI.
 */
@Injectable()
export class OwnerErasureService {
  private readonly logger = new Logger('OwnerErasure');

  constructor(
    private readonly owners: OwnersService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly tx: Transactions,
    private readonly audit: AuditWriter,
  ) {}

  async erase(ownerId: string): Promise<ErasureResult> {
    const owner = await this.owners.get(ownerId);
    const pseudonym = `erased:${randomUUID()}`;
    const usernameHash = hashSecret(owner.usernameKey);
    const sql = (text: string) => this.tx.sql(text);
    const { familyIds, consentsDeleted } = await this.tx.run(async (m) => {
      const familyIds = await this.refreshTokens.revokeFamiliesOfOwnerIn(m, ownerId, {
        reason: 'owner_erased',
      });
      await m.update(RefreshTokenFamilyEntity, { ownerId }, { ownerId: null });
      const consents = await m.delete(ConsentGrantEntity, { ownerId });
      await m.delete(NoteEntity, { ownerSub: ownerId });
      await m.delete(OwnerEntity, { id: ownerId });
      await this.audit.record(m, {
        type: 'owner.erased',
        subject: { type: 'owner', id: ownerId },
        ownerId,
        data: { grants_revoked: familyIds.length, consents_deleted: consents.affected ?? 0 },
      });
      // Last, so the events just written are re-labelled too.
      await m.query(sql('UPDATE audit_events SET owner_id = ?, source_address = NULL WHERE owner_id = ?'), [
        pseudonym,
        ownerId,
      ]);
      await m.query(sql('UPDATE audit_events SET subject_id = ? WHERE subject_id = ?'), [pseudonym, ownerId]);
      await m.query(sql('UPDATE audit_events SET actor_id = ? WHERE actor_id = ?'), [pseudonym, ownerId]);
      await m.query(
        sql(
          "UPDATE audit_events SET subject_id = ?, source_address = NULL WHERE subject_type = 'username' AND subject_id = ?",
        ),
        [pseudonym, usernameHash],
      );
      return { familyIds, consentsDeleted: consents.affected ?? 0 };
    });
    await this.refreshTokens.revokeAccessTokensOf(familyIds);
    this.logger.log(`owner erased (${familyIds.length} grants revoked); audit events now under ${pseudonym}`);
    return { pseudonym, grantsRevoked: familyIds.length, consentsDeleted };
  }
}
