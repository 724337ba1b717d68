import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../store/short-lived-store.js';

@Injectable()
export class StoreHealthIndicator {
  constructor(
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await this.store.ping();
      return indicator.up();
    } catch {
      return indicator.down({ message: 'short-lived store unreachable' });
    }
  }
}
