import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { PasswordHasher } from '../common/crypto/password-hasher.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OwnerLocalGuard } from './guards/owner-local.guard.js';
import { OwnerEntity } from './owner.entity.js';
import { OwnerRepository } from './owner.repository.js';
import { OwnersService } from './owners.service.js';
import { LocalOwnerStrategy } from './strategies/local-owner.strategy.js';

/**
 * Resource owners: storage, OwnersService and the `owner-local` Passport strategy. No
 * controllers (admin ones live in OwnersAdminModule). Imported by the public app (login
 * page) and by OwnersAdminModule.
 */
@Module({
  imports: [TypeOrmModule.forFeature([OwnerEntity]), PassportModule.register({ session: false })],
  providers: [OwnerRepository, PasswordHasher, OwnersService, LocalOwnerStrategy, OwnerLocalGuard],
  exports: [OwnersService, LocalOwnerStrategy, OwnerLocalGuard, PassportModule],
})
export class OwnersModule {}
