/** Why an outbound fetch was refused or failed; `message` is safe to show to the client concerned. */
export type OutboundFetchErrorCode =
  | 'invalid_url'
  | 'not_https'
  | 'blocked_address'
  | 'dns'
  | 'timeout'
  | 'too_large'
  | 'bad_content_type'
  | 'redirect'
  | 'network';

export class OutboundFetchError extends Error {
  override readonly name = 'OutboundFetchError';

  constructor(
    readonly code: OutboundFetchErrorCode,
    message: string,
  ) {
    super(message);
  }
}
