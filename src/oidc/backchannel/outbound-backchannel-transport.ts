import { Injectable } from '@nestjs/common';
import { OutboundFetcher } from '../../outbound/outbound-fetcher.js';
import type { BackchannelTransport } from './backchannel-transport.js';

/** Logout tokens POSTed through the SSRF-safe fetcher: https, vetted addresses, no redirects. */
@Injectable()
export class OutboundBackchannelTransport implements BackchannelTransport {
  constructor(private readonly fetcher: OutboundFetcher) {}

  async post(url: string, form: string, timeoutMs: number): Promise<number> {
    const res = await this.fetcher.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
      timeoutMs,
      maxBytes: 16_384,
    });
    return res.status;
  }
}
