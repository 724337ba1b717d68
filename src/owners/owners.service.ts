import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditEventType } from '../audit/audit-event-types.js';
import { AuditWriter } from '../audit/audit-writer.js';
import { Transactions } from '../database/transactions.js';
import { PasswordHasher } from '../common/crypto/password-hasher.js';
import { Conflict, InvalidRequest, NotFound } from '../common/errors/oauth-error.js';
import { OwnerEntity } from './owner.entity.js';
import { pickStandardClaims, type StandardClaims } from '../oidc/standard-claims.js';
import { isUniqueViolation, OwnerRepository } from './owner.repository.js';
import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_PATTERN, usernameKey } from './username-key.js';

export interface CreateOwnerInput {
  username: string;
  password: string;
  displayName?: string | null;
  email?: string | null;
  claims?: StandardClaims | null;
}

export interface UpdateOwnerInput {
  /** null clears; undefined leaves unchanged. */
  displayName?: string | null;
  email?: string | null;
  claims?: StandardClaims | null;
  disabled?: boolean;
}

export interface ListOwnersInput {
  usernamePrefix?: string;
  disabled?: boolean;
  limit: number;
  offset: number;
}

/**
 * Resource owners: accounts that log in on the public pages and grant consent. Passwords are
 * argon2id (never returned, never logged). Input shape is validated by the DTOs; this service
 * enforces uniqueness and existence.
 */
@Injectable()
export class OwnersService implements OnModuleInit {
  /** Verified against when the username is unknown, so that case costs one argon2id verify too. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly owners: OwnerRepository,
    private readonly passwords: PasswordHasher,
    private readonly tx: Transactions,
    private readonly audit: AuditWriter,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.dummy();
  }

  async create(input: CreateOwnerInput): Promise<OwnerEntity> {
    const key = this.keyOf(input.username);
    this.checkPassword(input.password);
    if (await this.owners.findByKey(key)) {
      throw this.duplicate();
    }
    const now = new Date();
    const owner = Object.assign(new OwnerEntity(), {
      id: randomUUID(),
      username: input.username,
      usernameKey: key,
      displayName: input.displayName ?? null,
      email: input.email ?? null,
      claims: pickStandardClaims(input.claims),
      passwordHash: await this.passwords.hash(input.password),
      disabled: false,
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.tx.run(async (m) => {
        await m.insert(OwnerEntity, owner);
        await this.record(m, 'owner.created', owner.id, {
          display_name_set: owner.displayName !== null,
          email_set: owner.email !== null,
        });
      });
    } catch (err) {
      // Two concurrent creates of the same username: the unique index decides.
      throw isUniqueViolation(err) ? this.duplicate() : err;
    }
    return owner;
  }

  /** The owner; NotFound (404) when unknown. */
  async get(id: string): Promise<OwnerEntity> {
    const owner = await this.owners.findById(id);
    if (!owner) {
      throw new NotFound('owner not found');
    }
    return owner;
  }

  /** The owner or null (for callers that hold an id from a session, e.g. the login page). */
  find(id: string): Promise<OwnerEntity | null> {
    return this.owners.findById(id);
  }

  list(input: ListOwnersInput): Promise<{ items: OwnerEntity[]; total: number }> {
    return this.owners.list({
      ...input,
      usernamePrefix: input.usernamePrefix === undefined ? undefined : usernameKey(input.usernamePrefix),
    });
  }

  async update(id: string, input: UpdateOwnerInput): Promise<OwnerEntity> {
    const owner = await this.get(id);
    // Field names only: the values are personal data, which erasure could not reach in events.
    const changed: string[] = [];
    if (input.displayName !== undefined && input.displayName !== owner.displayName) {
      owner.displayName = input.displayName;
      changed.push('display_name');
    }
    if (input.email !== undefined && input.email !== owner.email) {
      owner.email = input.email;
      changed.push('email');
    }
    if (input.claims !== undefined) {
      owner.claims = pickStandardClaims(input.claims);
      changed.push('claims');
    }
    const toggled = input.disabled !== undefined && input.disabled !== owner.disabled;
    if (input.disabled !== undefined) {
      owner.disabled = input.disabled;
    }
    owner.updatedAt = new Date();
    await this.tx.run(async (m) => {
      await m.save(owner);
      if (changed.length > 0) {
        await this.record(m, 'owner.updated', id, { changed });
      }
      if (toggled) {
        await this.record(m, owner.disabled ? 'owner.disabled' : 'owner.enabled', id, {});
      }
    });
    return owner;
  }

  disable(id: string): Promise<OwnerEntity> {
    return this.update(id, { disabled: true });
  }

  enable(id: string): Promise<OwnerEntity> {
    return this.update(id, { disabled: false });
  }

  /** Sets a new password; passwordChangedAt moves so sessions older than it can be dropped. */
  async resetPassword(id: string, password: string): Promise<OwnerEntity> {
    this.checkPassword(password);
    const owner = await this.get(id);
    const now = new Date();
    owner.passwordHash = await this.passwords.hash(password);
    owner.passwordChangedAt = now;
    owner.updatedAt = now;
    await this.tx.run(async (m) => {
      await m.save(owner);
      await this.record(m, 'owner.password_reset', id, {});
    });
    return owner;
  }

  /** The owner with this username (compared as at sign-in), or null. For identity assertions. */
  findByUsername(username: string): Promise<OwnerEntity | null> {
    const key = usernameKey(username);
    return key.length > 0 && key.length <= USERNAME_MAX ? this.owners.findByKey(key) : Promise.resolve(null);
  }

  /**
   * The owner when the username exists, the password matches and the account is enabled;
   * otherwise null. Every path runs exactly one argon2id verification (a precomputed dummy
   * hash for unknown usernames), so response time does not reveal which usernames exist.
   */
  async authenticate(username: string, password: string): Promise<OwnerEntity | null> {
    const key = usernameKey(username);
    const owner = key.length > 0 && key.length <= USERNAME_MAX ? await this.owners.findByKey(key) : null;
    const hash = owner?.passwordHash ?? (await this.dummy());
    const valid = await this.passwords.verify(hash, password);
    if (!owner || !valid || owner.disabled) {
      return null;
    }
    if (this.passwords.needsRehash(owner.passwordHash)) {
      // PASSWORD_HASH_* changed since this hash was made: store one with today's parameters.
      owner.passwordHash = await this.passwords.hash(password);
      await this.owners.save(owner);
    }
    return owner;
  }

  /** Precomputes the dummy hash (called at module init; also lazily on first use). */
  dummy(): Promise<string> {
    this.dummyHash ??= this.passwords.hash(randomBytes(32).toString('base64url'));
    return this.dummyHash;
  }

  private record(m: EntityManager, type: AuditEventType, ownerId: string, data: Record<string, unknown>) {
    return this.audit.record(m, { type, subject: { type: 'owner', id: ownerId }, ownerId, data });
  }

  // The admin DTOs check the same rules with field-level messages; these guard other callers.
  private keyOf(username: string): string {
    const key = usernameKey(username);
    if (!USERNAME_PATTERN.test(username) || key.length === 0 || key.length > USERNAME_MAX) {
      throw new InvalidRequest(
        `username must be 1..${USERNAME_MAX} letters, digits or . _ @ + - (after NFKC normalization)`,
      );
    }
    return key;
  }

  private checkPassword(password: string): void {
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
      throw new InvalidRequest(`password must be ${PASSWORD_MIN}..${PASSWORD_MAX} characters`);
    }
  }

  private duplicate(): Conflict {
    return new Conflict('username already exists (usernames are case-insensitive)');
  }
}
