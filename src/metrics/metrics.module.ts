import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';

/** GET /metrics (admin listener). The Metrics instance itself comes from CoreModule. */
@Module({ controllers: [MetricsController] })
export class MetricsModule {}
