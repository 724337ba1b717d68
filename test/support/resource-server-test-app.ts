import 'reflect-metadata';
import { request as httpRequest } from 'node:http';
import { Body, Controller, Get, Module, Post, type DynamicModule, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  AnyScope,
  Protected,
  Public,
  ResourceServerModule,
  Scopes,
  TokenClaims,
  TokenSubject,
  type ResourceServerModuleOptions,
  type ResourceServerOptions,
} from '../../src/resources/resource-server/index.js';
import { NotFound } from '../../src/common/errors/oauth-error.js';

@Controller('things')
export class ThingsController {
  @Get()
  @Scopes('things:read')
  list(@TokenSubject() sub: string, @TokenClaims('client_id') clientId: unknown): object {
    return { sub, clientId, things: ['a', 'b'] };
  }

  @Post()
  @Scopes('things:read', 'things:write')
  create(@Body() body: unknown): object {
    return { created: true, body: body !== undefined };
  }

  @Get('any')
  @AnyScope('things:admin', 'things:read')
  any(): object {
    return { ok: true };
  }

  @Get('open')
  @Public()
  open(@TokenSubject() sub: string | undefined): object {
    return { open: true, sub: sub ?? null };
  }

  @Get('missing')
  @Scopes('things:read')
  missing(): never {
    throw new NotFound('no such thing');
  }
}

/** For global: false: one protected controller, one unprotected. */
@Controller('mixed')
export class MixedController {
  @Get('free')
  free(): object {
    return { free: true };
  }

  @Get('guarded')
  @Protected()
  @Scopes('things:read')
  guarded(@TokenSubject() sub: string): object {
    return { sub };
  }

  @Get('guarded-missing')
  @Protected()
  missing(): never {
    throw new NotFound('no such thing');
  }
}

export interface ModuleTestApp {
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

/** A minimal Nest (Fastify) app importing ResourceServerModule, listening on a free port. */
export async function startModuleApp(
  options: ResourceServerOptions & ResourceServerModuleOptions,
  extra: { providers?: Provider[] } = {},
): Promise<ModuleTestApp> {
  @Module({})
  class TestAppModule {
    static build(): DynamicModule {
      return {
        module: TestAppModule,
        imports: [ResourceServerModule.forRoot(options)],
        controllers: options.global === false ? [MixedController] : [ThingsController],
        providers: extra.providers ?? [],
      };
    }
  }
  const app = await NestFactory.create<NestFastifyApplication>(TestAppModule.build(), new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return { app, url: url.replace('[::1]', '127.0.0.1'), close: () => app.close() };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests can send what fetch refuses (duplicated headers). */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string | string[]>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
