import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import {
  Public,
  ResourceServerModule,
  Scopes,
  TokenSubject,
  type ResourceServerOptions,
} from '../../src/resources/resource-server/index.js';

/** An outside service's controller: every route needs a token unless @Public(). */
@Controller('reports')
export class ReportsController {
  @Get()
  @Scopes('reports:read')
  list(@TokenSubject() sub: string): { sub: string; reports: string[] } {
    return { sub, reports: ['q3'] };
  }

  @Public()
  @Get('status')
  status(): { ok: true } {
    return { ok: true };
  }
}

/**
 * A separate NestJS service protected by Tessera. The integration is the `imports` line:
 * ResourceServerModule.forRoot({ issuer, audience }) — the guard is global by default.
 */
@Module({})
export class ReportsAppModule {
  static register(options: ResourceServerOptions): DynamicModule {
    return {
      module: ReportsAppModule,
      imports: [ResourceServerModule.forRoot(options)],
      controllers: [ReportsController],
    };
  }
}
