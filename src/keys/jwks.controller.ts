import { Controller, Get, Header, HttpCode, Options } from '@nestjs/common';
import type { JWK } from 'jose';
import { KeysService } from './keys.service.js';

/**
 * RFC 7517 JWK Set at the metadata's jwks_uri (R-AT-12). Cached briefly: a pending key is
 * published KEY_PUBLISH_LEAD_TIME before it signs, far longer than this max-age.
 */
@Controller('jwks')
export class JwksController {
  constructor(private readonly keys: KeysService) {}

  @Get()
  @Header('Content-Type', 'application/jwk-set+json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): { keys: JWK[] } {
    return this.keys.jwks();
  }

  @Options()
  @HttpCode(204)
  preflight(): void {}
}
