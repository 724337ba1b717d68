import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/app-config.js';

export const OUTBOUND_OPTIONS = Symbol('OUTBOUND_OPTIONS');

export interface OutboundOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBytes: number;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  extraCa?: string;
}

export function outboundOptionsFrom(config: AppConfig): OutboundOptions {
  const env = config.env;
  return {
    allowPrivate: env.OUTBOUND_ALLOW_PRIVATE,
    timeoutMs: env.OUTBOUND_TIMEOUT_MS,
    connectTimeoutMs: Math.min(env.OUTBOUND_CONNECT_TIMEOUT_MS, env.OUTBOUND_TIMEOUT_MS),
    maxBytes: env.OUTBOUND_MAX_BYTES,
    extraCa: env.OUTBOUND_CA_FILE ? readFileSync(env.OUTBOUND_CA_FILE, 'utf8') : undefined,
  };
}
