import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { DpopVerifier } from '../../dpop/dpop-verifier.js';
import { registerFormPost } from '../http/form-post-route.js';
import { TokenEndpoint } from './token-endpoint.service.js';

/** RFC 6749 §3.2 token endpoint, POST /token (a plain Fastify route: ADR 0008). Errors get no-store (R-TOK-9). */
@Injectable()
export class TokenRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly endpoint: TokenEndpoint,
    private readonly dpop: DpopVerifier,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    registerFormPost(fastify, '/token', async (request, reply) => {
      const response = await this.endpoint.handle(request);
      if (response.token_type === 'DPoP') {
        void reply.header('DPoP-Nonce', this.dpop.nonce()); // RFC 9449 §8.2: the next nonce to use
      }
      return response;
    });
  }
}
