import { Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { TokenResponse } from '../grants/grant-handler.js';
import { TokenEndpoint } from './token-endpoint.service.js';

/** RFC 6749 §3.2 token endpoint. Errors get no-store from the exception filter (R-TOK-9). */
@Controller()
export class TokenController {
  constructor(private readonly endpoint: TokenEndpoint) {}

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  token(@Req() request: FastifyRequest): Promise<TokenResponse> {
    return this.endpoint.handle(request);
  }
}
