import { Module } from '@nestjs/common';
import { ClientsModule } from '../../clients/clients.module.js';
import { TokenExchangeModule } from '../token-exchange.module.js';
import { TokenExchangeAdminController } from './token-exchange-admin.controller.js';

/** /admin/clients/{id}/token-exchange-policy and /admin/trusted-issuers; admin listener only. */
@Module({ imports: [TokenExchangeModule, ClientsModule], controllers: [TokenExchangeAdminController] })
export class TokenExchangeAdminModule {}
