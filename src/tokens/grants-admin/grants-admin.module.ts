import { Module } from '@nestjs/common';
import { RefreshTokensModule } from '../refresh-tokens/refresh-tokens.module.js';
import { GrantsAdminController } from './grants-admin.controller.js';

/** Admin grants API; imported only by AdminAppModule. */
@Module({ imports: [RefreshTokensModule], controllers: [GrantsAdminController] })
export class GrantsAdminModule {}
