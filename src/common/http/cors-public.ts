import { applyDecorators, Header } from '@nestjs/common';

/**
 * Public, non-credentialed documents (metadata, JWKS) readable by browser-based clients from
 * any origin (R-META-12). They carry no secrets and no cookies are involved.
 */
export const PublicCors = (): MethodDecorator =>
  applyDecorators(
    Header('Access-Control-Allow-Origin', '*'),
    Header('Access-Control-Allow-Methods', 'GET, OPTIONS'),
    Header('Access-Control-Allow-Headers', '*'),
    Header('Access-Control-Max-Age', '86400'),
  );
