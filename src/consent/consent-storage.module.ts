import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsentGrantEntity } from './consent-grant.entity.js';
import { ConsentService } from './consent.service.js';
import { GrantRevocation } from './grant-revocation.js';

/** Consent grants without any controller (for the admin listener). */
@Module({
  imports: [TypeOrmModule.forFeature([ConsentGrantEntity])],
  providers: [ConsentService, GrantRevocation],
  exports: [ConsentService, GrantRevocation],
})
export class ConsentStorageModule {}
