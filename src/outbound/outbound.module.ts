import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { OutboundFetcher } from './outbound-fetcher.js';
import { OUTBOUND_OPTIONS, outboundOptionsFrom } from './outbound.options.js';

/** The SSRF-safe outbound fetcher: import OutboundModule, inject OutboundFetcher. */
@Module({
  providers: [
    { provide: OUTBOUND_OPTIONS, useFactory: outboundOptionsFrom, inject: [AppConfig] },
    OutboundFetcher,
  ],
  exports: [OutboundFetcher, OUTBOUND_OPTIONS],
})
export class OutboundModule {}
