import { Controller, Get, Header, HttpCode, Options, Param } from '@nestjs/common';
import { NotFound } from '../common/errors/oauth-error.js';
import { AppConfig } from '../config/app-config.js';
import { ResourceRegistry, type ResourceCatalog } from '../resources/registry/resource-registry.js';
import {
  buildAuthorizationServerMetadata,
  issuerPath,
  type AuthorizationServerMetadata,
} from './authorization-server-metadata.js';

const OAUTH = '.well-known/oauth-authorization-server';
const OIDC = '.well-known/openid-configuration';

/**
 * RFC 8414 metadata (R-META-1) and the same document as OpenID Connect discovery (R-META-11,
 * R-MCP-2), at the root and at the path-insertion URLs of an issuer with a path (RFC 8414
 * §3.1). Public, CORS-enabled and cacheable for a few minutes (R-META-12).
 */
@Controller()
export class DiscoveryController {
  private metadata: AuthorizationServerMetadata;
  private readonly path: string;
  private builtFrom: ResourceCatalog | undefined;

  constructor(
    config: AppConfig,
    private readonly resources: ResourceRegistry,
  ) {
    this.metadata = buildAuthorizationServerMetadata(config);
    this.path = issuerPath(config.issuer);
  }

  /** The document, with scopes_supported following the resource registry (SCOPES ∪ resources' scopes). */
  private async current(): Promise<AuthorizationServerMetadata> {
    const catalog = await this.resources.catalog();
    if (catalog !== this.builtFrom) {
      this.builtFrom = catalog;
      this.metadata = { ...this.metadata, scopes_supported: catalog.scopeNames() };
    }
    return this.metadata;
  }

  @Get([OAUTH, OIDC])
  @Header('Cache-Control', 'public, max-age=300')
  document(): Promise<AuthorizationServerMetadata> {
    return this.current();
  }

  @Get([`${OAUTH}/*`, `${OIDC}/*`])
  @Header('Cache-Control', 'public, max-age=300')
  forIssuerPath(@Param('*') suffix: string | undefined): Promise<AuthorizationServerMetadata> {
    const requested = `/${suffix ?? ''}`.replace(/\/$/, '');
    if (this.path === '' || requested !== this.path) {
      throw new NotFound('no authorization server metadata for this issuer');
    }
    return this.current();
  }

  @Options([OAUTH, OIDC, `${OAUTH}/*`, `${OIDC}/*`])
  @HttpCode(204)
  preflight(): void {}
}
