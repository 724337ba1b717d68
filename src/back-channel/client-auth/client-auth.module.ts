import { Module } from '@nestjs/common';
import { ClientsModule } from '../../clients/clients.module.js';
import { OutboundModule } from '../../outbound/outbound.module.js';
import { CLIENT_AUTH_METHODS, type ClientAuthMethodHandler } from './client-auth-method.js';
import { ClientAuthenticator } from './client-authenticator.js';
import { ClientKeys } from './client-keys.js';
import { ClientSecretBasicMethod } from './client-secret-basic.method.js';
import { ClientSecretPostMethod } from './client-secret-post.method.js';
import { NoneMethod } from './none.method.js';
import { PrivateKeyJwtMethod } from './private-key-jwt.method.js';
import { SecretFailureLimiter } from './secret-failure-limiter.js';

const METHODS = [ClientSecretBasicMethod, ClientSecretPostMethod, PrivateKeyJwtMethod, NoneMethod];

/** Client authentication for every client-authenticated endpoint (token, introspect, revoke, PAR...). */
@Module({
  imports: [ClientsModule, OutboundModule],
  providers: [
    ...METHODS,
    ClientKeys,
    SecretFailureLimiter,
    ClientAuthenticator,
    {
      provide: CLIENT_AUTH_METHODS,
      useFactory: (...methods: ClientAuthMethodHandler[]) => methods,
      inject: METHODS,
    },
  ],
  exports: [ClientAuthenticator, ClientKeys],
})
export class ClientAuthModule {}
