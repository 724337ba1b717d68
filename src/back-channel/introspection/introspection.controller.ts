import { Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IntrospectionService, type IntrospectionResponse } from './introspection.service.js';

/** RFC 7662 §2 token introspection (R-INT-10: no-store). */
@Controller()
export class IntrospectionController {
  constructor(private readonly introspection: IntrospectionService) {}

  @Post('introspect')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  introspect(@Req() request: FastifyRequest): Promise<IntrospectionResponse> {
    return this.introspection.introspect(request);
  }
}
