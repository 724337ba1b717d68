import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/http/public.decorator.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { StoreHealthIndicator } from './store.health.js';

@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: DatabaseHealthIndicator,
    private readonly store: StoreHealthIndicator,
  ) {}

  /** Liveness: the process answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the database and the short-lived store answer; 503 with details otherwise. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult | object> {
    try {
      return await this.health.check([() => this.db.check('database'), () => this.store.check('store')]);
    } catch (err) {
      if (err instanceof ServiceUnavailableException) {
        void reply.status(503);
        return err.getResponse() as object;
      }
      throw err;
    }
  }
}
