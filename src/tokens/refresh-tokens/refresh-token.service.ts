import { randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../audit/audit-context.js';
import { AuditWriter } from '../../audit/audit-writer.js';
import type { ClientEntity } from '../../clients/client.entity.js';
import { Transactions } from '../../database/transactions.js';
import { generateSecret, hashSecret } from '../../common/crypto/secret-hash.js';
import { InvalidGrant } from '../../common/errors/oauth-error.js';
import { AppConfig } from '../../config/app-config.js';
import { Metrics } from '../../metrics/metrics.js';
import type { DpopBinding } from '../../dpop/dpop-binding.js';
import { AccessTokenService, type ActClaim } from '../access-tokens/access-token.service.js';
import { RefreshTokenFamilyEntity } from './refresh-token-family.entity.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';

export interface IssueFamilyInput {
  client: ClientEntity;
  /** The token request's DPoP binding: a public client's family is bound to it (R-DPOP-7). */
  dpop?: DpopBinding;
  /** The resource owner (null only for grants without a user). */
  ownerId: string | null;
  /** Space-delimited scope the owner granted; every refresh token of the family keeps it. */
  scope: string;
  /** RFC 8707 resources the grant covers (R-RT-4). */
  resources: string[];
  /** The consent behind the grant, so revoking the consent revokes the family. */
  consentGrantId?: string | null;
  /** When the owner authenticated (RFC 9068 auth_time), repeated in every access token. */
  authTime?: Date | null;
  /** OpenID Connect session id, repeated in refresh-issued ID tokens. */
  sid?: string | null;
}

/** RFC 8693: a grant started by token exchange from the subject's grant. */
export interface IssueExchangedFamilyInput {
  client: ClientEntity;
  dpop?: DpopBinding;
  /** The subject token's family: the new one is its child and never outlives it. */
  parentFamilyId: string;
  scope: string;
  resources: string[];
  act?: ActClaim;
}

/** How deep the revocation cascade follows exchanged grants (exchanges of exchanges). */
const MAX_EXCHANGE_DEPTH = 8;

export interface IssuedRefreshToken {
  /** The opaque token to return to the client once; only its hash is stored. */
  token: string;
  /** The grant id: pass it as `grantId` to AccessTokenService.issue. */
  familyId: string;
  expiresAt: Date;
}

/** Why a grant ends and who ended it, for the `grant.revoked` audit event. */
export interface RevocationCause {
  reason:
    | 'admin'
    | 'revocation_endpoint'
    | 'reuse_detected'
    | 'code_replay'
    | 'consent_revoked'
    | 'client_deleted'
    | 'owner_erased'
    | 'owner_logout_everywhere'
    /** A family started by token exchange, revoked with the subject's family (RFC 8693). */
    | 'subject_grant_revoked';
  /** Default: the request's actor (admin listener) or `system`. */
  actor?: Actor;
}

/** A presented refresh token with its family, as stored. */
export type RefreshTokenRecord = RefreshTokenEntity & {
  family: RefreshTokenFamilyEntity;
  /** The grant's owner is disabled (issue 16 M2): the token must not be honoured. */
  ownerDisabled?: boolean;
};

/**
 * Refresh tokens and their families (grants). Used by the refresh_token grant, introspection,
 * revocation, the admin API and — for the first token of a grant — the authorization_code
 * grant: `issueFamily()` after a successful code exchange, then issue the access token with
 * `grantId: familyId`.
 */
@Injectable()
export class RefreshTokenService {
  constructor(
    private readonly repository: RefreshTokenRepository,
    private readonly accessTokens: AccessTokenService,
    private readonly config: AppConfig,
    private readonly tx: Transactions,
    private readonly audit: AuditWriter,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /** Starts a grant: a new family and its first refresh token (≥256-bit, stored hashed). */
  async issueFamily(input: IssueFamilyInput, now = new Date()): Promise<IssuedRefreshToken> {
    const ttl = input.client.refreshTokenTtl ?? this.config.env.REFRESH_TOKEN_TTL;
    const family = Object.assign(new RefreshTokenFamilyEntity(), {
      id: randomUUID(),
      clientId: input.client.clientId,
      ownerId: input.ownerId,
      consentGrantId: input.consentGrantId ?? null,
      scope: input.scope,
      resources: input.resources,
      authTime: input.authTime ?? null,
      // RFC 9449 §5 / R-DPOP-7: public clients' grants are bound to the proof's key;
      // confidential clients are bound by their authentication instead.
      dpopJkt: input.client.isPublic ? (input.dpop?.jkt ?? null) : null,
      sid: input.sid ?? null,
      createdAt: now,
      absoluteExpiresAt: new Date(now.getTime() + ttl * 1000),
      revokedAt: null,
    });
    const { token, entity } = this.newToken(family, now);
    await this.repository.insertFamily(family, entity);
    return { token, familyId: family.id, expiresAt: entity.idleExpiresAt };
  }

  /**
   * RFC 8693 requested_token_type=refresh_token: a new family, child of the subject's, for the
   * same owner, carrying `act`, expiring no later than its parent. Null when the parent is
   * unknown, revoked or expired. Revoking the parent revokes it (and its own children).
   */
  async issueExchangedFamily(
    input: IssueExchangedFamilyInput,
    now = new Date(),
  ): Promise<IssuedRefreshToken | null> {
    const parent = await this.repository.findFamily(input.parentFamilyId);
    if (!parent || parent.revokedAt !== null || parent.absoluteExpiresAt <= now) {
      return null;
    }
    const ttl = input.client.refreshTokenTtl ?? this.config.env.REFRESH_TOKEN_TTL;
    const family = Object.assign(new RefreshTokenFamilyEntity(), {
      id: randomUUID(),
      clientId: input.client.clientId,
      ownerId: parent.ownerId,
      consentGrantId: null,
      scope: input.scope,
      resources: input.resources,
      authTime: parent.authTime,
      dpopJkt: input.client.isPublic ? (input.dpop?.jkt ?? null) : null,
      sid: null,
      parentFamilyId: parent.id,
      act: input.act ?? null,
      createdAt: now,
      absoluteExpiresAt: new Date(Math.min(now.getTime() + ttl * 1000, parent.absoluteExpiresAt.getTime())),
      revokedAt: null,
    });
    const { token, entity } = this.newToken(family, now);
    await this.repository.insertFamily(family, entity);
    // The parent revoked while the child was inserted (its cascade ran before the insert): undo.
    if ((await this.repository.findFamily(parent.id))?.revokedAt) {
      await this.revokeFamily(family.id, now, { reason: 'subject_grant_revoked' });
      return null;
    }
    return { token, familyId: family.id, expiresAt: entity.idleExpiresAt };
  }

  /** The stored token and family for a presented value, whatever their state; null if unknown. */
  async find(token: string): Promise<RefreshTokenRecord | null> {
    if (token.length === 0 || token.length > 512) {
      return null;
    }
    const row = await this.repository.findByHash(hashSecret(token));
    return row?.family ? (row as RefreshTokenRecord) : null;
  }

  /** R-RT-5: unrevoked family, neither expiry passed, not rotated out. */
  isActive(record: RefreshTokenRecord, now = new Date()): boolean {
    return (
      record.ownerDisabled !== true &&
      record.family.revokedAt === null &&
      record.family.absoluteExpiresAt > now &&
      record.idleExpiresAt > now &&
      record.usedAt === null
    );
  }

  /**
   * Uses a valid token once (R-RT-7): with rotation (always for public clients, R-RT-6), the
   * presented one is marked used with a conditional UPDATE and its successor inserted in the same
   * unit of work; whoever loses that race — a concurrent or later replay — gets invalid_grant and the whole
   * family is revoked (R-RT-8). Without rotation the idle expiry slides and undefined returns.
   */
  async use(
    record: RefreshTokenRecord,
    client: ClientEntity,
    dpop: DpopBinding | undefined,
    now = new Date(),
  ): Promise<string | undefined> {
    if (record.family.dpopJkt && dpop?.jkt !== record.family.dpopJkt) {
      // R-DPOP-7: checked before rotation, so a thief without the key cannot burn the token.
      throw new InvalidGrant(
        'refresh token is invalid, expired or revoked',
        'DPoP-bound refresh token presented without a proof of its key',
      );
    }
    const rotate = client.isPublic || client.refreshTokenRotation;
    if (!rotate) {
      await this.repository.touch(record.tokenHash, this.idleExpiry(record.family, now));
      return undefined;
    }
    const { token, entity } = this.newToken(record.family, now);
    if (!(await this.repository.rotate(record.tokenHash, entity, now))) {
      await this.reuseDetected(record, now);
      throw new InvalidGrant('refresh token is invalid, expired or revoked', 'refresh token reused');
    }
    return token;
  }

  /**
   * R-RT-8: a rotated-out token came back. Revokes the family; the revocation and its
   * `refresh_token.reuse_detected` event commit together (the only token-endpoint write that
   * audits, and only when reuse happens).
   */
  async reuseDetected(record: RefreshTokenRecord, now = new Date()): Promise<void> {
    this.metrics?.refreshReuse.inc();
    await this.revokeFamily(record.familyId, now, {
      reason: 'reuse_detected',
      actor: { type: 'client', id: record.clientId },
    });
  }

  /** Revokes a grant in O(1): one row update plus the access-token grant marker (R-RT-8, R-REV-7). */
  async revokeFamily(
    familyId: string,
    now = new Date(),
    cause: RevocationCause = { reason: 'admin' },
  ): Promise<boolean> {
    const { revoked, descendants } = await this.tx.run(async (m) => {
      const revoked = await this.repository.revokeFamily(familyId, now, m);
      if (revoked) {
        const family = await m.findOne(RefreshTokenFamilyEntity, {
          select: { id: true, clientId: true, ownerId: true },
          where: { id: familyId },
        });
        if (family) {
          await this.recordRevoked(m, family, cause);
        }
      }
      // Even when it was revoked already: a child must never outlive its parent.
      return { revoked, descendants: await this.revokeDescendantsIn(m, [familyId], now, cause) };
    });
    await this.accessTokens.revokeGrant(familyId);
    await this.revokeAccessTokensOf(descendants);
    return revoked;
  }

  /** When a consent is withdrawn: every grant it allowed. Returns how many were revoked. */
  revokeFamiliesOfConsentGrant(consentGrantId: string, actor?: Actor): Promise<number> {
    return this.revokeMatching({ consentGrantId }, { reason: 'consent_revoked', actor });
  }

  /** "Log out everywhere" (R-RT-13): every grant of an owner, of a client, or of both. */
  revokeFamiliesOf(
    filter: { clientId?: string; ownerId?: string },
    reason: RevocationCause['reason'] = 'admin',
  ): Promise<number> {
    if (filter.clientId === undefined && filter.ownerId === undefined) {
      throw new Error('revokeFamiliesOf needs clientId or ownerId');
    }
    return this.revokeMatching(filter, { reason });
  }

  /**
   * Inside the caller's transaction: revokes every active family of the owner and records
   * `grant.revoked` for each. Returns their ids; call `revokeAccessTokensOf` after commit.
   */
  async revokeFamiliesOfOwnerIn(
    m: EntityManager,
    ownerId: string,
    cause: RevocationCause,
  ): Promise<string[]> {
    const families = await this.repository.activeFamilies({ ownerId }, m);
    await this.repository.revokeFamilies(
      families.map((f) => f.id),
      new Date(),
      m,
    );
    for (const family of families) {
      await this.recordRevoked(m, family, cause);
    }
    const ids = families.map((f) => f.id);
    return [...ids, ...(await this.revokeDescendantsIn(m, ids, new Date(), cause))];
  }

  /**
   * The revocation cascade (RFC 8693, issue 15): inside the caller's transaction, revokes every
   * unrevoked family started by token exchange from `parentIds`, then theirs, level by level (one
   * indexed read per level, at most MAX_EXCHANGE_DEPTH). Returns the revoked ids.
   */
  private async revokeDescendantsIn(
    m: EntityManager,
    parentIds: string[],
    now: Date,
    cause: RevocationCause,
  ): Promise<string[]> {
    const revoked: string[] = [];
    let level = parentIds;
    for (let depth = 0; depth < MAX_EXCHANGE_DEPTH && level.length > 0; depth++) {
      const children = await this.repository.activeChildren(level, m);
      level = children.map((c) => c.id);
      await this.repository.revokeFamilies(level, now, m);
      for (const child of children) {
        await this.recordRevoked(m, child, { reason: 'subject_grant_revoked', actor: cause.actor });
      }
      revoked.push(...level);
    }
    return revoked;
  }

  /** The access-token grant markers of revoked families (short-lived store, after commit). */
  async revokeAccessTokensOf(familyIds: string[]): Promise<void> {
    for (const id of familyIds) {
      await this.accessTokens.revokeGrant(id);
    }
  }

  private async revokeMatching(
    filter: { clientId?: string; ownerId?: string; consentGrantId?: string },
    cause: RevocationCause,
  ): Promise<number> {
    const ids = await this.tx.run(async (m) => {
      const families = await this.repository.activeFamilies(filter, m);
      await this.repository.revokeFamilies(
        families.map((f) => f.id),
        new Date(),
        m,
      );
      for (const family of families) {
        await this.recordRevoked(m, family, cause);
      }
      const ids = families.map((f) => f.id);
      return [...ids, ...(await this.revokeDescendantsIn(m, ids, new Date(), cause))];
    });
    await this.revokeAccessTokensOf(ids);
    return ids.length;
  }

  private async recordRevoked(
    m: EntityManager,
    family: Pick<RefreshTokenFamilyEntity, 'id' | 'clientId' | 'ownerId'>,
    cause: RevocationCause,
  ): Promise<void> {
    this.metrics?.familiesRevoked.inc();
    const base = {
      subject: { type: 'grant', id: family.id },
      ownerId: family.ownerId,
      actor: cause.actor,
      data: { client_id: family.clientId, reason: cause.reason },
    };
    if (cause.reason === 'reuse_detected') {
      await this.audit.record(m, { ...base, type: 'refresh_token.reuse_detected' });
    }
    await this.audit.record(m, { ...base, type: 'grant.revoked' });
  }

  private idleExpiry(family: RefreshTokenFamilyEntity, now: Date): Date {
    const idle = now.getTime() + this.config.env.REFRESH_TOKEN_IDLE_TTL * 1000;
    return new Date(Math.min(idle, family.absoluteExpiresAt.getTime()));
  }

  private newToken(
    family: RefreshTokenFamilyEntity,
    now: Date,
  ): { token: string; entity: RefreshTokenEntity } {
    const token = generateSecret(32);
    const entity = Object.assign(new RefreshTokenEntity(), {
      tokenHash: hashSecret(token),
      familyId: family.id,
      clientId: family.clientId,
      scope: family.scope,
      issuedAt: now,
      idleExpiresAt: this.idleExpiry(family, now),
      usedAt: null,
    });
    return { token, entity };
  }
}
