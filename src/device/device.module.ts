import { Module } from '@nestjs/common';
import { ClientAuthModule } from '../back-channel/client-auth/client-auth.module.js';
import { DeviceCodeGrant } from '../back-channel/grants/device-code.grant.js';
import { ClientsModule } from '../clients/clients.module.js';
import { ConsentStorageModule } from '../consent/consent-storage.module.js';
import { AuthorizeErrorFilter } from '../front-channel/authorize/authorize-error.filter.js';
import { DeviceLoginGuard } from '../front-channel/device/device-login.guard.js';
import { DevicePages } from '../front-channel/device/device-pages.service.js';
import { DeviceVerificationController } from '../front-channel/device/device-verification.controller.js';
import { DeviceVerificationStore } from '../front-channel/device/device-verification.store.js';
import { UserCodeEntryLimiter } from '../front-channel/device/user-code-entry-limiter.js';
import { LoginRateLimiter } from '../front-channel/login/login-rate-limiter.js';
import { OwnersModule } from '../owners/owners.module.js';
import { PagesModule } from '../pages/pages.module.js';
import { ResourceRegistryModule } from '../resources/registry/resource-registry.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { DeviceAuthorizationController } from './device-authorization.controller.js';
import { DeviceCodeStore } from './device-code.store.js';

/**
 * RFC 8628 device authorization grant: POST /device_authorization (back channel), the /device
 * verification pages (front channel) and the device_code grant (found by the grant registry).
 */
@Module({
  imports: [
    ClientsModule,
    ClientAuthModule,
    ConsentStorageModule,
    OwnersModule,
    SessionsModule,
    PagesModule,
    ResourceRegistryModule,
  ],
  controllers: [DeviceAuthorizationController, DeviceVerificationController],
  providers: [
    DeviceCodeStore,
    DeviceCodeGrant,
    DeviceVerificationStore,
    UserCodeEntryLimiter,
    DevicePages,
    DeviceLoginGuard,
    LoginRateLimiter,
    AuthorizeErrorFilter,
  ],
})
export class DeviceModule {}
