import { Inject, Injectable } from '@nestjs/common';
import { AuthorizationServerMetadataClient } from './authorization-server-metadata.js';
import { IntrospectionVerifier } from './introspection.verifier.js';
import { JwtAccessTokenVerifier } from './jwt-access-token.verifier.js';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server.options.js';
import type { TokenPrincipal } from './token-principal.js';

/** Three base64url segments whose header is a JSON object: worth trying as a JWS. */
function looksLikeJwt(token: string): boolean {
  const [header, payload, signature, extra] = token.split('.');
  if (!header || !payload || signature === undefined || extra !== undefined) {
    return false;
  }
  try {
    const decoded: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return typeof decoded === 'object' && decoded !== null;
  } catch {
    return false;
  }
}

/** Picks the validation for a token: local JWT, introspection, or (auto) by the token's shape. */
@Injectable()
export class AccessTokenVerifier {
  private readonly jwt: JwtAccessTokenVerifier;
  private readonly introspection?: IntrospectionVerifier;

  constructor(@Inject(RESOURCE_SERVER_OPTIONS) private readonly options: ResolvedResourceServerOptions) {
    const metadata = new AuthorizationServerMetadataClient(
      options.issuer,
      options.fetch,
      options.httpTimeoutMs,
    );
    this.jwt = new JwtAccessTokenVerifier(options, metadata);
    if (options.introspection) {
      this.introspection = new IntrospectionVerifier(options, metadata);
    }
  }

  verify(token: string): Promise<TokenPrincipal> {
    const introspection = this.introspection;
    if (
      !introspection ||
      this.options.mode === 'jwt' ||
      (this.options.mode === 'auto' && looksLikeJwt(token))
    ) {
      return this.jwt.verify(token);
    }
    return introspection.verify(token);
  }
}
