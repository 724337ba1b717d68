import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientEntity } from './client.entity.js';
import { ClientRegistry } from './client-registry.js';

/** Client storage and the cached registry; no controllers (admin ones live in ClientsAdminModule). */
@Module({
  imports: [TypeOrmModule.forFeature([ClientEntity])],
  providers: [ClientRegistry],
  exports: [ClientRegistry, TypeOrmModule],
})
export class ClientsModule {}
