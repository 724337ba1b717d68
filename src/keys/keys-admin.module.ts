import { Module } from '@nestjs/common';
import { KeysAdminController } from './keys-admin.controller.js';
import { KeysModule } from './keys.module.js';

/** GET /admin/keys and POST /admin/keys/rotate; imported only by the admin app. */
@Module({ imports: [KeysModule], controllers: [KeysAdminController] })
export class KeysAdminModule {}
