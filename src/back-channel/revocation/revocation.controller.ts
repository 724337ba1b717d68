import { Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RevocationService } from './revocation.service.js';

/**
 * RFC 7009 §2 token revocation: 200 on success (R-REV-6) with `{}` as application/json: the
 * client may ignore the body, and JSON keeps libraries that parse every answer working.
 */
@Controller()
export class RevocationController {
  constructor(private readonly revocation: RevocationService) {}

  @Post('revoke')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async revoke(@Req() request: FastifyRequest): Promise<Record<string, never>> {
    await this.revocation.revoke(request);
    return {};
  }
}
