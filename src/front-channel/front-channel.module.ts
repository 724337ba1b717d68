import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { AccountController } from './account/account.controller.js';
import { ConsentController } from './consent/consent.controller.js';
import { ConsentModule } from '../consent/consent.module.js';
import { OwnersModule } from '../owners/owners.module.js';
import { PagesModule } from '../pages/pages.module.js';
import { OidcCoreModule } from '../oidc/oidc-core.module.js';
import { LoginController } from './login/login.controller.js';
import { EndSessionController } from './end-session/end-session.controller.js';
import { LoginGuard } from './login/login.guard.js';
import { LoginPage } from './login/login-page.service.js';
import { LoginRateLimiter } from './login/login-rate-limiter.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { CodesModule } from '../tokens/codes/codes.module.js';
import { ResourceRegistryModule } from '../resources/registry/resource-registry.module.js';
import { AuthorizeErrorFilter } from './authorize/authorize-error.filter.js';
import { AuthorizeFlowService } from './authorize/authorize-flow.service.js';
import { AuthorizeController } from './authorize/authorize.controller.js';
import { PendingAuthorizationStore } from './authorize/pending-authorization.store.js';

/** The front channel: /authorize, /login, /consent and /account (the pages an owner sees). */
@Module({
  imports: [
    ClientsModule,
    OwnersModule,
    ConsentModule,
    SessionsModule,
    PagesModule,
    CodesModule,
    ResourceRegistryModule,
    OidcCoreModule,
  ],
  controllers: [
    AuthorizeController,
    LoginController,
    ConsentController,
    AccountController,
    EndSessionController,
  ],
  providers: [
    AuthorizeFlowService,
    PendingAuthorizationStore,
    AuthorizeErrorFilter,
    LoginGuard,
    LoginPage,
    LoginRateLimiter,
  ],
})
export class FrontChannelModule {}
