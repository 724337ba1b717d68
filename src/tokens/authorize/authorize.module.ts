import { Module } from '@nestjs/common';
import { ClientsModule } from '../../clients/clients.module.js';
import { ConsentController } from '../../consent/consent.controller.js';
import { ConsentModule } from '../../consent/consent.module.js';
import { OwnersModule } from '../../owners/owners.module.js';
import { PagesModule } from '../../pages/pages.module.js';
import { LoginController } from '../../sessions/login/login.controller.js';
import { LoginGuard } from '../../sessions/login/login.guard.js';
import { LoginPage } from '../../sessions/login/login-page.service.js';
import { LoginRateLimiter } from '../../sessions/login/login-rate-limiter.js';
import { SessionsModule } from '../../sessions/sessions.module.js';
import { CodesModule } from '../codes/codes.module.js';
import { AuthorizeErrorFilter } from './authorize-error.filter.js';
import { AuthorizeFlowService } from './authorize-flow.service.js';
import { AuthorizeController } from './authorize.controller.js';
import { PendingAuthorizationStore } from './pending-authorization.store.js';

/** The front channel: /authorize, /login, /consent (the pages of one flow). */
@Module({
  imports: [ClientsModule, OwnersModule, ConsentModule, SessionsModule, PagesModule, CodesModule],
  controllers: [AuthorizeController, LoginController, ConsentController],
  providers: [
    AuthorizeFlowService,
    PendingAuthorizationStore,
    AuthorizeErrorFilter,
    LoginGuard,
    LoginPage,
    LoginRateLimiter,
  ],
})
export class AuthorizeModule {}
