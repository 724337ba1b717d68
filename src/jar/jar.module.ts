import { Module } from '@nestjs/common';
import { ClientAuthModule } from '../back-channel/client-auth/client-auth.module.js';
import { RequestObjectVerifier } from './request-object.verifier.js';

/** RFC 9101 signed request objects for /authorize and /par. */
@Module({ imports: [ClientAuthModule], providers: [RequestObjectVerifier], exports: [RequestObjectVerifier] })
export class JarModule {}
