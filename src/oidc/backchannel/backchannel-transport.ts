/**
 * How logout tokens leave the server: a form POST through the ONE SSRF-safe outbound fetcher
 * (src/outbound), bound in BackchannelModule (OutboundBackchannelTransport). Answers the HTTP
 * status, or throws OutboundFetchError.
 */
export interface BackchannelTransport {
  post(url: string, form: string, timeoutMs: number): Promise<number>;
}

export const BACKCHANNEL_TRANSPORT = Symbol('BACKCHANNEL_TRANSPORT');
