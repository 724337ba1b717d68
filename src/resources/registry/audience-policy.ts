import { Injectable } from '@nestjs/common';
import type { ClientEntity } from '../../clients/client.entity.js';
import { InvalidScope, InvalidTarget } from '../../common/errors/oauth-error.js';
import { AppConfig } from '../../config/app-config.js';
import { normalizeResource } from '../../back-channel/grants/resource.js';
import type { ResourceEntity } from './resource.entity.js';
import { ResourceRegistry, type ResourceCatalog } from './resource-registry.js';

/** Every rule's wording, so tests and docs can name the rule that failed. */
export const AUDIENCE_RULES = {
  malformed: 'resource must be an absolute URI without a fragment',
  oneResource: 'only one resource per access token is supported',
  notRegistered: 'resource is not registered',
  clientNotAllowed: 'client may not request this resource',
  notInGrant: 'the grant does not include this resource',
} as const;

/** An audience one access token is issued for. */
export interface Audience {
  /** The value that goes into `aud` (the registered spelling). */
  identifier: string;
  /** The registered resource, when the audience is one (format, lifetime). */
  resource?: ResourceEntity;
}

/** What the audience rules decided for one access token. */
export interface TokenAudience extends Audience {
  /** The token's scopes: those meaningful for this audience (R-AT-5). */
  scope: string;
}

const split = (scope: string): string[] => scope.split(' ').filter(Boolean);

/**
 * The audience rules in one place (issue 11; RFC 8707, RFC 9068 §3, R-AT-6..9), used by the
 * authorization endpoint checks and by every grant:
 * - a `resource` is an absolute URI without fragment, registered (or named on the client's
 *   allowed_resources: clients created before the registry), and the resource's client policy
 *   admits the client (`any`; `first_party`; `listed`: named on the resource or the client);
 * - without `resource`: the client's default resource, else the one resource the requested
 *   scopes belong to (R-AT-8), else DEFAULT_AUDIENCE or the issuer;
 * - scopes a resource defines go only into tokens for that resource: asked for explicitly with
 *   another resource → invalid_scope; carried by a grant or a default scope → dropped from
 *   this token (the grant keeps them). Scopes no resource defines (openid, offline_access…)
 *   go with any audience.
 * `admits(catalog, client, identifier)` is the one question "may this client still get tokens
 * for this resource", for code that narrows existing grants.
 */
@Injectable()
export class AudiencePolicy {
  constructor(
    private readonly registry: ResourceRegistry,
    private readonly config: AppConfig,
  ) {}

  catalog(): Promise<ResourceCatalog> {
    return this.registry.catalog();
  }

  /** Whether the client may obtain tokens for this resource now (registry and policy). */
  admits(catalog: ResourceCatalog, client: ClientEntity, identifier: string): boolean {
    return this.problem(catalog, client, identifier) === null;
  }

  /** Checks one `resource` value for the client; returns the audience or throws invalid_target. */
  admit(catalog: ResourceCatalog, client: ClientEntity, value: string, why = ''): Audience {
    const normalised = normalizeResource(value);
    if (normalised === null || value.length > 2048) {
      throw new InvalidTarget(AUDIENCE_RULES.malformed);
    }
    const problem = this.problem(catalog, client, normalised);
    if (problem !== null) {
      throw new InvalidTarget(`${problem}${why}`);
    }
    const resource = catalog.find(normalised);
    if (resource) {
      return { identifier: resource.identifier, resource };
    }
    const named = client.allowedResources.find((r) => normalizeResource(r) === normalised) as string;
    return { identifier: named };
  }

  /**
   * Authorization request: the resources the grant will carry (several allowed), after the
   * scope rules. `explicit`: the scope came from the request (else the client's default).
   */
  async forAuthorization(
    client: ClientEntity,
    values: string[],
    scopes: string[],
    explicit: boolean,
  ): Promise<{ resources: string[]; scopes: string[] }> {
    const catalog = await this.catalog();
    const audiences = values.map((v) => this.admit(catalog, client, v));
    if (audiences.length === 0) {
      const implied = this.implied(catalog, client, scopes, explicit);
      if (implied) {
        audiences.push(implied);
      }
    }
    const identifiers = new Set(audiences.map((a) => a.identifier));
    if (audiences.length === 0 && scopes.includes('openid')) {
      return { resources: [], scopes }; // OpenID Connect: a token for the issuer (userinfo)
    }
    const kept = this.scopesFor(
      catalog,
      scopes,
      (owner) => identifiers.has(owner.identifier),
      explicit,
      audiences,
    );
    return { resources: [...identifiers], scopes: kept };
  }

  /** client_credentials: one audience from `resource`, the default resource, the scopes, or the default. */
  async forClient(
    client: ClientEntity,
    values: string[],
    scope: string,
    explicit: boolean,
  ): Promise<TokenAudience> {
    if (values.length > 1) {
      throw new InvalidTarget(AUDIENCE_RULES.oneResource);
    }
    const catalog = await this.catalog();
    const scopes = split(scope);
    const audience =
      values.length === 1
        ? this.admit(catalog, client, values[0] as string)
        : (this.implied(catalog, client, scopes, explicit) ?? { identifier: this.fallback() });
    return this.finish(catalog, audience, scopes, explicit);
  }

  /**
   * Code exchange and refresh: the token's audience is the requested resource, which must be
   * one of the grant's (the grant is blamed, not the client), and still admitted for the client;
   * else the grant's first resource, else the default. Scopes of the grant's other resources are
   * dropped from this token.
   */
  async forGrant(
    client: ClientEntity,
    values: string[],
    grantResources: readonly string[],
    scope: string,
  ): Promise<TokenAudience> {
    if (values.length > 1) {
      throw new InvalidTarget(AUDIENCE_RULES.oneResource);
    }
    const catalog = await this.catalog();
    // Issue 16 L7: by default the first of the grant's resources the client is still admitted to
    // (when none is, the first one, whose admission then names the policy that refuses it).
    let chosen: string | undefined =
      grantResources.find((r) => this.admits(catalog, client, r)) ?? grantResources[0];
    if (values.length === 1) {
      const wanted = normalizeResource(values[0] as string);
      if (wanted === null) {
        throw new InvalidTarget(AUDIENCE_RULES.malformed);
      }
      chosen = grantResources.find((r) => normalizeResource(r) === wanted);
      if (chosen === undefined) {
        throw new InvalidTarget(AUDIENCE_RULES.notInGrant);
      }
    }
    const audience =
      chosen === undefined ? { identifier: this.fallback() } : this.admit(catalog, client, chosen);
    return this.finish(catalog, audience, split(scope), false);
  }

  private finish(
    catalog: ResourceCatalog,
    audience: Audience,
    scopes: string[],
    explicit: boolean,
  ): TokenAudience {
    if (!audience.resource && audience.identifier === this.fallback() && scopes.includes('openid')) {
      return { ...audience, scope: scopes.join(' ') }; // OpenID Connect: userinfo reads the claims' scopes
    }
    const kept = this.scopesFor(
      catalog,
      scopes,
      (owner) => owner.identifier === audience.identifier,
      explicit,
      [audience],
    );
    return { ...audience, scope: kept.join(' ') };
  }

  /** DEFAULT_AUDIENCE, else the issuer (R-AT-8). */
  fallback(): string {
    return this.config.env.DEFAULT_AUDIENCE ?? this.config.issuer;
  }

  /** The client's default resource, else the one resource the scopes belong to (R-AT-8). */
  private implied(
    catalog: ResourceCatalog,
    client: ClientEntity,
    scopes: string[],
    explicit: boolean,
  ): Audience | undefined {
    if (client.defaultResource) {
      return this.admit(catalog, client, client.defaultResource, ' (the client default resource)');
    }
    if (scopes.includes('openid')) {
      return undefined; // OpenID Connect requests default to the issuer (userinfo), not a scope's resource
    }
    const owners = [...new Set(scopes.map((s) => catalog.ownerOf(s)).filter((o) => o !== undefined))];
    if (owners.length > 1) {
      if (!explicit) {
        return undefined; // a default scope spanning resources: the token gets the unowned part
      }
      const names = owners.map((o) => o.identifier.slice(0, 200)).join(', ');
      throw new InvalidScope(
        `the requested scopes belong to different resources (${names}): request one resource`,
      );
    }
    const owner = owners[0];
    if (!owner) {
      return undefined;
    }
    if (!explicit && !this.admits(catalog, client, owner.identifier)) {
      return undefined;
    }
    return this.admit(catalog, client, owner.identifier, ` (implied by the requested scope)`);
  }

  /** Applies the scope rule: a resource's scopes only with that resource. */
  private scopesFor(
    catalog: ResourceCatalog,
    scopes: string[],
    fits: (owner: ResourceEntity) => boolean,
    explicit: boolean,
    audiences: Audience[],
  ): string[] {
    const kept: string[] = [];
    for (const scope of scopes) {
      const owner = catalog.ownerOf(scope);
      if (!owner || fits(owner)) {
        kept.push(scope);
      } else if (explicit) {
        const target = audiences.length === 0 ? 'no resource was requested' : 'it was not requested';
        throw new InvalidScope(
          `scope ${scope.slice(0, 64)} belongs to resource ${owner.identifier.slice(0, 200)}, and ${target}`,
        );
      }
    }
    return kept;
  }

  /** Why the client may not get tokens for `identifier` (normalised), or null. */
  private problem(catalog: ResourceCatalog, client: ClientEntity, identifier: string): string | null {
    const namedOnClient = client.allowedResources.some((r) => normalizeResource(r) === identifier);
    const resource = catalog.find(identifier);
    if (!resource) {
      return namedOnClient ? null : AUDIENCE_RULES.notRegistered;
    }
    switch (resource.clientPolicy) {
      case 'any':
        return null;
      case 'first_party':
        return client.firstParty ? null : `${AUDIENCE_RULES.clientNotAllowed} (policy first_party)`;
      case 'listed':
        return namedOnClient || resource.listedClients.includes(client.clientId)
          ? null
          : `${AUDIENCE_RULES.clientNotAllowed} (policy listed: the client is not listed)`;
    }
  }
}
