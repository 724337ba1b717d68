import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeysService } from './keys.service.js';
import { SigningKeyEntity } from './signing-key.entity.js';
import { SigningKeyRepository } from './signing-key.repository.js';

/** Signing keys in memory; no controllers (JWKS: JwksModule, admin: KeysAdminModule). */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKeyEntity])],
  providers: [SigningKeyRepository, KeysService],
  exports: [KeysService],
})
export class KeysModule {}
