import { Module, type DynamicModule } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { AdminAuthModule } from '../admin/admin-auth.module.js';
import { AuditAdminModule } from '../audit/audit-admin.module.js';
import { OutboxWorkersModule } from '../webhooks/outbox-workers.module.js';
import { WebhooksAdminModule } from '../webhooks/webhooks-admin.module.js';
import { adminValidationPipe } from '../common/http/validation.pipe.js';
import { ClientsModule } from '../clients/clients.module.js';
import { ClientsAdminModule } from '../clients/clients-admin.module.js';
import { InitialAccessTokensAdminModule } from '../registration/initial-access-tokens-admin.module.js';
import { HealthModule } from '../health/health.module.js';
import { ConsentAdminModule } from '../consent/consent-admin.module.js';
import { OwnersAdminModule } from '../owners/owners-admin.module.js';
import { GrantsAdminModule } from '../tokens/grants-admin/grants-admin.module.js';
import { KeysAdminModule } from '../keys/keys-admin.module.js';
import { ResourcesAdminModule } from '../resources/registry/resources-admin.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { TokenExchangeAdminModule } from '../token-exchange/admin/token-exchange-admin.module.js';
import { CoreModule } from './core.module.js';
import type { SharedResources } from './shared-resources.js';

/** The admin listener: /admin/* behind AdminAuthGuard, plus health. */
@Module({})
export class AdminAppModule {
  static forRoot(shared: SharedResources): DynamicModule {
    return {
      module: AdminAppModule,
      imports: [
        CoreModule.forRoot(shared),
        HealthModule,
        AdminAuthModule,
        ClientsModule,
        GrantsAdminModule,
        OwnersAdminModule,
        ClientsAdminModule,
        InitialAccessTokensAdminModule,
        KeysAdminModule,
        ConsentAdminModule,
        ResourcesAdminModule,
        MetricsModule,
        TokenExchangeAdminModule,
        AuditAdminModule,
        WebhooksAdminModule,
        OutboxWorkersModule,
      ],
      providers: [{ provide: APP_PIPE, useFactory: adminValidationPipe }],
    };
  }
}
