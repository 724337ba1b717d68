import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { GRANT_HANDLER_METADATA, type GrantHandler } from './grant-handler.js';

/** Grant types OAuth 2.1 removed (§10): always unsupported_grant_type, even if someone registers one. */
const FORBIDDEN_GRANTS = new Set(['password', 'implicit', 'token']);

/**
 * Every `@GrantHandlerProvider()` of the app, by grant type (node-oidc-provider
 * lib/actions/grants/index.js). Filled once at start through Nest's DiscoveryService.
 */
@Injectable()
export class GrantRegistry implements OnModuleInit {
  private readonly logger = new Logger('GrantRegistry');
  private readonly handlers = new Map<string, GrantHandler>();
  private knownParameters = new Set<string>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const type: unknown = wrapper.metatype;
      if (typeof type !== 'function' || !wrapper.instance) {
        continue;
      }
      if (this.reflector.get<boolean | undefined>(GRANT_HANDLER_METADATA, type as new () => unknown)) {
        this.register(wrapper.instance as GrantHandler);
      }
    }
  }

  /** Adds a handler; a second handler for the same grant type is a startup error. */
  register(handler: GrantHandler): void {
    if (FORBIDDEN_GRANTS.has(handler.grantType)) {
      throw new Error(`grant type ${handler.grantType} is not allowed in OAuth 2.1`);
    }
    const existing = this.handlers.get(handler.grantType);
    if (existing && existing !== handler) {
      throw new Error(`two handlers for grant type ${handler.grantType}`);
    }
    this.handlers.set(handler.grantType, handler);
    this.knownParameters = new Set([...this.handlers.values()].flatMap((h) => [...h.parameters]));
    this.logger.debug(`grant type ${handler.grantType} registered`);
  }

  get(grantType: string): GrantHandler | undefined {
    return this.handlers.get(grantType);
  }

  /** For metadata (RFC 8414 grant_types_supported). */
  grantTypes(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /** Union of every grant's parameters: the names that may not be repeated (R-TOK-4). */
  parameters(): ReadonlySet<string> {
    return this.knownParameters;
  }
}
