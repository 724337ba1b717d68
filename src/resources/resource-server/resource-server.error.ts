import { HttpException } from '@nestjs/common';

export type BearerErrorCode =
  'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof' | 'use_dpop_nonce';

/**
 * A bearer-token failure (RFC 6750 §3). It carries everything the wire needs; the challenge
 * itself is written by ResourceServerExceptionFilter, which knows realm and metadata URL.
 * It extends HttpException so that, in an app without that filter, Nest still answers with
 * the right status instead of a 500.
 */
export class ResourceServerError extends HttpException {
  /** The scheme the request used: its challenge is written in that scheme (RFC 9449 §7.1). */
  scheme: 'Bearer' | 'DPoP' = 'Bearer';
  /** RFC 9449 §9: a nonce to send in DPoP-Nonce. */
  nonce?: string;

  constructor(
    status: 400 | 401 | 403 | 503,
    /** Absent when the request carried no token at all (RFC 6750 §3.1, R-RS-8). */
    readonly code?: BearerErrorCode | 'temporarily_unavailable',
    readonly description?: string,
    /** For insufficient_scope: the scopes the route needs (R-RS-10). */
    readonly scope?: string[],
  ) {
    super(
      code
        ? { error: code, ...(description ? { error_description: description } : {}) }
        : { error: 'unauthorized' },
      status,
    );
    this.name = 'ResourceServerError';
  }

  static noToken(): ResourceServerError {
    return new ResourceServerError(401);
  }

  static invalidRequest(description: string): ResourceServerError {
    return new ResourceServerError(400, 'invalid_request', description);
  }

  static invalidToken(description = 'the access token is invalid'): ResourceServerError {
    return new ResourceServerError(401, 'invalid_token', description);
  }

  static insufficientScope(scope: string[]): ResourceServerError {
    return new ResourceServerError(
      403,
      'insufficient_scope',
      'the access token lacks a required scope',
      scope,
    );
  }

  /** RFC 9449 §7.1: a DPoP proof that is missing, invalid, replayed or for another key. */
  static invalidDpopProof(description: string): ResourceServerError {
    return new ResourceServerError(401, 'invalid_dpop_proof', description).inScheme('DPoP');
  }

  /** RFC 9449 §9: the proof must carry this server's current nonce. */
  static useDpopNonce(nonce: string): ResourceServerError {
    const error = new ResourceServerError(
      401,
      'use_dpop_nonce',
      'the DPoP proof must carry the server nonce',
    );
    error.nonce = nonce;
    return error.inScheme('DPoP');
  }

  inScheme(scheme: 'Bearer' | 'DPoP'): this {
    this.scheme = scheme;
    return this;
  }

  /** The authorization server could not be reached to validate the token. */
  static unavailable(): ResourceServerError {
    return new ResourceServerError(
      503,
      'temporarily_unavailable',
      'the authorization server is unreachable, retry shortly',
    );
  }
}
