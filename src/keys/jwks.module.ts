import { Module } from '@nestjs/common';
import { JwksController } from './jwks.controller.js';
import { KeysModule } from './keys.module.js';

/** The public GET /jwks. */
@Module({ imports: [KeysModule], controllers: [JwksController] })
export class JwksModule {}
