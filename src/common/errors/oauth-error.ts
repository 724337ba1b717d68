/**
 * The OAuth error family (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7591 §3.2.2). Checks and services
 * throw these; OAuthExceptionFilter is the one place that writes them to the wire.
 * `description` is sent to the client; `detail` is for logs only.
 */
export class OAuthError extends Error {
  /** Whether the authorization endpoint may send this error to the client's redirect URI. */
  allowRedirect = true;
  readonly headers: Record<string, string> = {};

  constructor(
    readonly status: number,
    readonly error: string,
    readonly description?: string,
    readonly detail?: string,
  ) {
    super(description ?? error);
    this.name = 'OAuthError';
  }

  withHeader(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }
}

const factory = (status: number, error: string) =>
  class extends OAuthError {
    constructor(description?: string, detail?: string) {
      super(status, error, description, detail);
    }
  };

export class InvalidRequest extends factory(400, 'invalid_request') {}
export class InvalidGrant extends factory(400, 'invalid_grant') {}
export class UnauthorizedClient extends factory(400, 'unauthorized_client') {}
export class UnsupportedGrantType extends factory(400, 'unsupported_grant_type') {}
export class UnsupportedResponseType extends factory(400, 'unsupported_response_type') {}
export class UnsupportedTokenType extends factory(400, 'unsupported_token_type') {}
export class InvalidScope extends factory(400, 'invalid_scope') {}
export class InvalidTarget extends factory(400, 'invalid_target') {}
export class AccessDenied extends factory(403, 'access_denied') {}
export class InvalidClientMetadata extends factory(400, 'invalid_client_metadata') {}
export class InvalidRedirectUriMetadata extends factory(400, 'invalid_redirect_uri') {}
export class NotFound extends factory(404, 'not_found') {}
export class Conflict extends factory(409, 'conflict') {}
export class Forbidden extends factory(403, 'forbidden') {}
export class TooManyRequests extends factory(429, 'too_many_requests') {}

/** RFC 6749 §5.2: 401 with a challenge for the scheme the client used (project: always 401). */
export class InvalidClient extends OAuthError {
  constructor(
    description = 'client authentication failed',
    detail?: string,
    scheme: 'Basic' | 'none' = 'Basic',
  ) {
    super(401, 'invalid_client', description, detail);
    if (scheme === 'Basic') {
      this.withHeader('WWW-Authenticate', 'Basic realm="tessera"');
    }
  }
}

/** RFC 6750 §3.1: a bearer credential that is missing, expired, revoked or malformed. */
export class InvalidToken extends OAuthError {
  constructor(description = 'invalid token', realm = 'tessera') {
    super(401, 'invalid_token', description);
    this.withHeader(
      'WWW-Authenticate',
      `Bearer realm="${realm}", error="invalid_token", error_description="${description}"`,
    );
  }
}

/** The authorization endpoint cannot redirect to an unverified redirect URI (RFC 6749 §4.1.2.1). */
export class InvalidRedirectUri extends OAuthError {
  constructor(description = 'redirect_uri is not registered for this client') {
    super(400, 'invalid_request', description);
    this.allowRedirect = false;
  }
}

/** A backing store is unreachable: 503 with Retry-After (RFC 7009 §2.2.1), never a 500. */
export class TemporarilyUnavailable extends OAuthError {
  constructor(description = 'the service is temporarily unavailable, retry shortly') {
    super(503, 'temporarily_unavailable', description);
    this.withHeader('Retry-After', '1');
  }
}
