import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { InvalidRequest } from '../../common/errors/oauth-error.js';
import type { OwnerEntity } from '../owner.entity.js';
import { InvalidOwnerCredentials } from '../owner-errors.js';
import { OwnersService } from '../owners.service.js';

export const OWNER_LOCAL_STRATEGY = 'owner-local';

/**
 * Passport local strategy for resource owners: reads `username` and `password` from the
 * request body and resolves the enabled owner, or throws InvalidOwnerCredentials (the same
 * error, after the same argon2id work, for unknown users, disabled users and wrong passwords).
 * Use it through OwnerLocalGuard.
 */
@Injectable()
export class LocalOwnerStrategy extends PassportStrategy(Strategy, OWNER_LOCAL_STRATEGY) {
  constructor(private readonly owners: OwnersService) {
    super({ usernameField: 'username', passwordField: 'password', session: false });
  }

  async validate(username: unknown, password: unknown): Promise<OwnerEntity> {
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new InvalidRequest('username and password must each be given once, as strings');
    }
    const owner = await this.owners.authenticate(username, password);
    if (!owner) {
      throw new InvalidOwnerCredentials();
    }
    return owner;
  }
}
