import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import passport from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server.options.js';
import { ResourceServerError } from './resource-server.error.js';
import { DpopRequestVerifier } from './dpop-request.verifier.js';
import { extractAccessToken, type BearerRequestLike } from './token-extractor.js';
import { cnfJkt, type TokenPrincipal } from './token-principal.js';

/** Unique Passport strategy name of one module instance (several may share one process). */
export const RESOURCE_SERVER_STRATEGY = Symbol('RESOURCE_SERVER_STRATEGY');

/**
 * The Passport strategy (passport-custom): reads the access token (header, optionally body,
 * never the query) and validates it. A DPoP-bound token must come as `Authorization: DPoP`
 * with a proof of its key (RFC 9449 §7.1, R-DPOP-11); presented as Bearer it is refused
 * (R-DPOP-12). Registered under a per-instance name, removed on shutdown.
 */
@Injectable()
export class BearerStrategy implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(RESOURCE_SERVER_STRATEGY) private readonly name: string,
    @Inject(RESOURCE_SERVER_OPTIONS) private readonly options: ResolvedResourceServerOptions,
    private readonly verifier: AccessTokenVerifier,
    @Inject(DpopRequestVerifier) private readonly dpop: DpopRequestVerifier | null,
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

  private async authenticate(req: BearerRequestLike): Promise<TokenPrincipal> {
    const presented = extractAccessToken(req, { ...this.options, acceptDpop: this.dpop !== null });
    if (presented === undefined) {
      throw ResourceServerError.noToken();
    }
    const { token, scheme } = presented;
    let principal: TokenPrincipal;
    try {
      principal = await this.verifier.verify(token);
    } catch (err) {
      throw err instanceof ResourceServerError ? err.inScheme(scheme) : err;
    }
    const jkt = cnfJkt(principal.claims);
    if (scheme === 'Bearer') {
      if (jkt !== undefined) {
        throw ResourceServerError.invalidToken('a DPoP-bound access token must be presented with DPoP');
      }
      return principal;
    }
    if (jkt === undefined) {
      throw ResourceServerError.invalidToken('the access token is not DPoP-bound').inScheme('DPoP');
    }
    await (this.dpop as DpopRequestVerifier).verify(req, token, jkt);
    return { ...principal, dpop: { jkt } };
  }
}
