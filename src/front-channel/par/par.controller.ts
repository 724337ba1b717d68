import { Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ClientAuthenticator } from '../../back-channel/client-auth/client-authenticator.js';
import { CLIENT_AUTH_PARAMETERS } from '../../back-channel/client-auth/client-auth-method.js';
import { readOAuthForm } from '../../back-channel/http/oauth-form.js';
import { ClientRegistry } from '../../clients/client-registry.js';
import { InvalidRequest } from '../../common/errors/oauth-error.js';
import { AppConfig } from '../../config/app-config.js';
import { InvalidDpopProof } from '../../dpop/dpop-errors.js';
import { DpopVerifier } from '../../dpop/dpop-verifier.js';
import type { RawParams } from '../authorize/authorize-context.js';
import { newAuthorizeContext, runAuthorizeChecks } from '../authorize/authorize.pipeline.js';
import { RequestObjectVerifier } from '../../jar/request-object.verifier.js';
import { IdTokenHintVerifier } from '../../oidc/id-token-hint.js';
import { AudiencePolicy } from '../../resources/registry/audience-policy.js';
import { PushedRequestStore } from './pushed-request.store.js';

/** Client credentials travel in the PAR body but are not authorization request parameters. */
const CREDENTIALS: ReadonlySet<string> = new Set(
  CLIENT_AUTH_PARAMETERS.filter((name) => name !== 'client_id'),
);

export interface PushedAuthorizationResponse {
  request_uri: string;
  expires_in: number;
}

/**
 * RFC 9126 pushed authorization requests at POST /par: the client authenticates as at /token
 * (R-PAR-2), the parameters go through the one /authorize pipeline (R-PAR-4) with errors as
 * JSON (R-PAR-6), and the answer is 201 with a single-use request_uri (R-PAR-5). A DPoP proof
 * on the request binds the future code to its key (RFC 9449 §10.1, R-DPOP-10).
 */
@Controller()
export class ParController {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly clients: ClientRegistry,
    private readonly config: AppConfig,
    private readonly dpop: DpopVerifier,
    private readonly pushed: PushedRequestStore,
    private readonly requestObjects: RequestObjectVerifier,
    private readonly audience: AudiencePolicy,
    private readonly idTokenHints: IdTokenHintVerifier,
  ) {}

  @Post('par')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  async push(@Req() request: FastifyRequest): Promise<PushedAuthorizationResponse> {
    const form = readOAuthForm(request, CLIENT_AUTH_PARAMETERS);
    const { client } = await this.authenticator.authenticate(request, form);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const params: RawParams = Object.create(null) as RawParams;
    for (const [name, value] of Object.entries(body)) {
      if (!CREDENTIALS.has(name)) {
        params[name] = value as RawParams[string];
      }
    }
    if (params.request_uri !== undefined) {
      throw new InvalidRequest('request_uri must not be used in a pushed authorization request'); // R-PAR-3
    }
    // Public clients identify themselves with client_id only; make it the authenticated one.
    params.client_id = client.clientId;
    const proof = await this.dpop.verify(request, '/par');
    const ctx = newAuthorizeContext(params, true);
    await runAuthorizeChecks(ctx, {
      clients: this.clients,
      config: this.config,
      requestObjects: this.requestObjects,
      idTokenHints: this.idTokenHints,
      audience: this.audience,
    });
    if (proof) {
      if (ctx.dpopJkt !== undefined && ctx.dpopJkt !== proof.jkt) {
        throw new InvalidDpopProof('dpop_jkt does not match the key of the DPoP proof');
      }
      ctx.params.dpop_jkt = proof.jkt;
    }
    const requestUri = await this.pushed.push({ clientId: client.clientId, params: { ...ctx.params } });
    return { request_uri: requestUri, expires_in: this.pushed.ttl };
  }
}
