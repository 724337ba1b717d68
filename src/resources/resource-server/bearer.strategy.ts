import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import passport from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server.options.js';
import { ResourceServerError } from './resource-server.error.js';
import { extractBearerToken, type BearerRequestLike } from './token-extractor.js';

/** Unique Passport strategy name of one module instance (several may share one process). */
export const RESOURCE_SERVER_STRATEGY = Symbol('RESOURCE_SERVER_STRATEGY');

/**
 * The Passport strategy (passport-custom): reads the bearer token (header, optionally body,
 * never the query) and validates it. Registered under a per-instance name, removed on shutdown.
 */
@Injectable()
export class BearerStrategy implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(RESOURCE_SERVER_STRATEGY) private readonly name: string,
    @Inject(RESOURCE_SERVER_OPTIONS) private readonly options: ResolvedResourceServerOptions,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  onModuleInit(): void {
    passport.use(
      this.name,
      new CustomStrategy((req, done) => {
        this.authenticate(req as unknown as BearerRequestLike).then(
          (principal) => done(null, principal),
          (err: unknown) => done(err),
        );
      }),
    );
  }

  onModuleDestroy(): void {
    passport.unuse(this.name);
  }

  private async authenticate(req: BearerRequestLike) {
    const token = extractBearerToken(req, this.options);
    if (token === undefined) {
      throw ResourceServerError.noToken();
    }
    return this.verifier.verify(token);
  }
}
