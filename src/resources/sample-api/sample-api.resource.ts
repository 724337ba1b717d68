import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { ResourcesService } from '../registry/resources.service.js';

/** The sample API's scopes and their consent-page wording (SCOPES' wording when it has one). */
const SCOPES: readonly [string, string][] = [
  ['profile', 'Read your profile'],
  ['notes:read', 'Read your notes'],
  ['notes:write', 'Change your notes'],
];

/**
 * Registers the sample API (`<ISSUER>/api`, or SAMPLE_API_AUDIENCE) as a resource server with
 * policy `any` when it is not registered, at every start of the public listener, so the
 * README quick start works on a fresh install. Deleting it through the admin API lasts until
 * the next start; change its policy or scopes instead to restrict it.
 */
@Injectable()
export class SampleApiResource implements OnApplicationBootstrap {
  constructor(
    private readonly resources: ResourcesService,
    private readonly config: AppConfig,
    private readonly identifier: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const wording = new Map(this.config.scopes.map((s) => [s.name, s.description]));
    await this.resources.ensure({
      identifier: this.identifier,
      name: 'Tessera sample API',
      scopes: SCOPES.map(([name, fallback]) => ({ name, description: wording.get(name) ?? fallback })),
      client_policy: 'any',
    });
  }
}
