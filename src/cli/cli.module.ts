import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminTokenEntity } from '../admin/admin-token.entity.js';
import { CoreModule } from '../app/core.module.js';
import type { SharedResources } from '../app/shared-resources.js';
import { ClientsModule } from '../clients/clients.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { OwnersModule } from '../owners/owners.module.js';

/** The services the CLI drives: the same providers the admin API's controllers use. */
@Module({})
export class CliModule {
  static forRoot(shared: SharedResources): DynamicModule {
    return {
      module: CliModule,
      imports: [
        CoreModule.forRoot(shared),
        ClientsModule,
        OwnersModule,
        KeysModule,
        TypeOrmModule.forFeature([AdminTokenEntity]),
      ],
    };
  }
}
