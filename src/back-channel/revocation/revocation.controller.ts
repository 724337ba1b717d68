import { Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RevocationService } from './revocation.service.js';

/** RFC 7009 §2 token revocation: 200 with an empty body on success (R-REV-6). */
@Controller()
export class RevocationController {
  constructor(private readonly revocation: RevocationService) {}

  @Post('revoke')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  revoke(@Req() request: FastifyRequest): Promise<void> {
    return this.revocation.revoke(request);
  }
}
