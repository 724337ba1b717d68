import { Controller, Get, Header, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/http/public.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from './metrics.js';

/**
 * Prometheus exposition on the admin listener (private: loopback unless ADMIN_HOST says
 * otherwise), without the admin bearer token so that a scraper needs no credential. Nothing in
 * it identifies a client or an owner.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!this.config.env.METRICS_ENABLED) {
      throw new NotFoundException();
    }
    void reply.header('Content-Type', this.metrics.contentType);
    return this.metrics.exposition();
  }
}
