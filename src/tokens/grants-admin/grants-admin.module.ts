import { Module } from '@nestjs/common';
import { RefreshTokensModule } from '../refresh-tokens/refresh-tokens.module.js';
import { GrantsAdminController } from './grants-admin.controller.js';
import { BackchannelModule } from '../../oidc/backchannel/backchannel.module.js';

/** Admin grants API; imported only by AdminAppModule. */
@Module({ imports: [RefreshTokensModule, BackchannelModule], controllers: [GrantsAdminController] })
export class GrantsAdminModule {}
