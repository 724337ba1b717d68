import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { registerFormPost } from '../http/form-post-route.js';
import { IntrospectionService } from './introspection.service.js';

/** RFC 7662 §2 token introspection, POST /introspect (a plain Fastify route: ADR 0008; R-INT-10: no-store). */
@Injectable()
export class IntrospectionRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly introspection: IntrospectionService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    registerFormPost(fastify, '/introspect', (request) => this.introspection.introspect(request));
  }
}
