import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientsModule } from '../../clients/clients.module.js';
import { KeysModule } from '../../keys/keys.module.js';
import { OutboundModule } from '../../outbound/outbound.module.js';
import { BACKCHANNEL_TRANSPORT } from './backchannel-transport.js';
import { OutboundBackchannelTransport } from './outbound-backchannel-transport.js';
import { OidcCoreModule } from '../oidc-core.module.js';
import { BackchannelLogoutEntity } from './backchannel-logout.entity.js';
import { BackchannelLogoutService } from './backchannel-logout.service.js';

/** Back-channel logout: the outbox, and its delivery worker (public listener processes). */
@Module({
  imports: [
    TypeOrmModule.forFeature([BackchannelLogoutEntity]),
    ClientsModule,
    KeysModule,
    OidcCoreModule,
    OutboundModule,
  ],
  providers: [
    BackchannelLogoutService,
    { provide: BACKCHANNEL_TRANSPORT, useClass: OutboundBackchannelTransport },
  ],
  exports: [BackchannelLogoutService, OidcCoreModule],
})
export class BackchannelModule {}
