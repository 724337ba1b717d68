import { Controller, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DpopVerifier } from '../../dpop/dpop-verifier.js';
import type { TokenResponse } from '../grants/grant-handler.js';
import { TokenEndpoint } from './token-endpoint.service.js';

/** RFC 6749 §3.2 token endpoint. Errors get no-store from the exception filter (R-TOK-9). */
@Controller()
export class TokenController {
  constructor(
    private readonly endpoint: TokenEndpoint,
    private readonly dpop: DpopVerifier,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async token(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse> {
    const response = await this.endpoint.handle(request);
    if (response.token_type === 'DPoP') {
      void reply.header('DPoP-Nonce', this.dpop.nonce()); // RFC 9449 §8.2: the next nonce to use
    }
    return response;
  }
}
