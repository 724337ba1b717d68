import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { InvalidRequest } from '../../common/errors/oauth-error.js';

const FORM_ENDPOINTS = new Set(['/token', '/introspect', '/revoke', '/device_authorization']);
const FORM = 'application/x-www-form-urlencoded';

/**
 * R-TOK-2: a body Fastify has no parser for (multipart, XML…) would be refused with 415 before
 * the controller runs; the OAuth form endpoints answer any non-form body with 400
 * invalid_request instead, checked before body parsing.
 */
@Injectable()
export class FormContentTypeHook implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preParsing', (request, _reply, payload, done) => {
      if (request.method === 'POST' && FORM_ENDPOINTS.has(request.routeOptions.url ?? '')) {
        const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        if (type !== FORM) {
          done(new InvalidRequest(`content type must be ${FORM}`));
          return;
        }
      }
      done(null, payload);
    });
  }
}
