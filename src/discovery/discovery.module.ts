import { Module } from '@nestjs/common';
import { DiscoveryController } from './discovery.controller.js';

/** Public metadata documents (RFC 8414, OpenID Connect discovery). */
@Module({ controllers: [DiscoveryController] })
export class DiscoveryModule {}
