import { Module } from '@nestjs/common';
import { ConsentAdminController } from './consent-admin.controller.js';
import { ConsentStorageModule } from './consent-storage.module.js';

/** /admin/consent-grants; imported only by AdminAppModule. */
@Module({ imports: [ConsentStorageModule], controllers: [ConsentAdminController] })
export class ConsentAdminModule {}
