import { Module } from '@nestjs/common';
import { DpopTokenRequest } from './dpop-token-request.js';
import { DpopVerifier } from './dpop-verifier.js';

/** RFC 9449 proof validation and nonces for the authorization server's endpoints. */
@Module({ providers: [DpopVerifier, DpopTokenRequest], exports: [DpopVerifier, DpopTokenRequest] })
export class DpopModule {}
