/**
 * Public API of the resource-server module: protect a NestJS service with Tessera (or any
 * RFC 8414 / RFC 9068 / RFC 7662 authorization server) access tokens.
 */
export { ResourceServerModule } from './resource-server.module.js';
export { ResourceServerGuard } from './resource-server.guard.js';
export { ResourceServerExceptionFilter } from './resource-server-exception.filter.js';
export { ResourceServerError, type BearerErrorCode } from './resource-server.error.js';
export { AccessTokenVerifier } from './access-token.verifier.js';
export {
  AnyScope,
  Protected,
  Public,
  Scopes,
  TokenClaims,
  TokenPrincipalParam,
  TokenSubject,
} from './decorators.js';
export type { TokenPrincipal } from './token-principal.js';
export {
  metadataPathFor,
  ResourceServerConfigError,
  type FetchLike,
  type IntrospectionOptions,
  type ResourceServerAsyncOptions,
  type ResourceServerModuleOptions,
  type ResourceServerOptions,
  type TokenValidationMode,
} from './resource-server.options.js';
export type { ProtectedResourceMetadata } from './protected-resource-metadata.controller.js';
