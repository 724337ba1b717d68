import { AppConfig } from '../../config/app-config.js';
import { settingsFromCreateDto, toClientResponse } from '../../clients/client.mapper.js';
import { ClientsService } from '../../clients/clients.service.js';
import { CreateClientDto } from '../../clients/dto/create-client.dto.js';
import { UsageError, type Command } from '../command.js';
import { toUsageError, validateBody } from '../validate-body.js';

function parseData(value: unknown): Record<string, unknown> {
  if (value === undefined) {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(typeof value === 'string' ? value : '');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  throw new UsageError('--data must be a JSON object (the body of POST /admin/clients)');
}

const list = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.length > 0 ? v.map(String) : undefined;

export const clientsCreate: Command = {
  words: ['clients', 'create'],
  summary: 'Register a client (same rules as POST /admin/clients); the secret is shown once.',
  usage:
    'clients create --name NAME [--grant-type T]... [--redirect-uri URI]... [--auth-method M] [--scope S] [--resource URI]... [--data JSON]',
  options: {
    name: { type: 'string' },
    'grant-type': { type: 'string', multiple: true },
    'redirect-uri': { type: 'string', multiple: true },
    'auth-method': { type: 'string' },
    scope: { type: 'string' },
    resource: { type: 'string', multiple: true },
    data: { type: 'string' },
  },
  async run(ctx) {
    const v = ctx.values;
    const body: Record<string, unknown> = {
      ...parseData(v.data),
      ...(v.name !== undefined ? { client_name: v.name } : {}),
      ...(list(v['grant-type']) ? { grant_types: list(v['grant-type']) } : {}),
      ...(list(v['redirect-uri']) ? { redirect_uris: list(v['redirect-uri']) } : {}),
      ...(v['auth-method'] !== undefined ? { token_endpoint_auth_method: v['auth-method'] } : {}),
      ...(v.scope !== undefined ? { scope: v.scope } : {}),
      ...(list(v.resource) ? { allowed_resources: list(v.resource) } : {}),
    };
    const dto = await validateBody(CreateClientDto, body);
    const app = await ctx.app();
    const allScopes = app
      .get(AppConfig)
      .scopes.map((s) => s.name)
      .join(' ');
    const { client, secret } = await app
      .get(ClientsService)
      .create(settingsFromCreateDto(dto, allScopes))
      .catch((err: unknown) => Promise.reject(toUsageError(err)));
    const response = toClientResponse(client, secret);
    return {
      json: response,
      text:
        `client_id     ${response.client_id}\n` +
        (secret ? `client_secret ${secret}   (shown once; only its hash is stored)\n` : ''),
    };
  },
};

export const clientsList: Command = {
  words: ['clients', 'list'],
  summary: 'List clients (id, name, auth method, grant types), 100 a page.',
  usage: 'clients list [--name PREFIX] [--offset N]',
  options: { name: { type: 'string' }, offset: { type: 'string' } },
  async run(ctx) {
    const offset = Number(ctx.values.offset ?? 0);
    if (!Number.isInteger(offset) || offset < 0) {
      throw new UsageError('--offset must be a non-negative integer');
    }
    const app = await ctx.app();
    const { items, total } = await app.get(ClientsService).list({
      limit: 100,
      offset,
      name: ctx.values.name as string | undefined,
    });
    const clients = items.map((c) => toClientResponse(c));
    return {
      json: { items: clients, total, limit: 100, offset },
      text:
        clients
          .map(
            (c) =>
              `${c.client_id}  ${c.client_name}  ${c.token_endpoint_auth_method}  ${c.grant_types.join(',')}`,
          )
          .join('\n') + `\n(${clients.length} of ${total})\n`,
    };
  },
};

export const clientsRotateSecret: Command = {
  words: ['clients', 'rotate-secret'],
  summary:
    'Issue a new client secret (POST /admin/clients/:id/secret); the old one lasts CLIENT_SECRET_ROTATION_GRACE.',
  usage: 'clients rotate-secret CLIENT_ID',
  async run(ctx) {
    const [clientId] = ctx.positionals;
    if (!clientId) {
      throw new UsageError('usage: tessera clients rotate-secret CLIENT_ID');
    }
    const app = await ctx.app();
    const { client, secret } = await app
      .get(ClientsService)
      .rotateSecret(clientId)
      .catch((err: unknown) => Promise.reject(toUsageError(err)));
    const response = toClientResponse(client, secret);
    return {
      json: response,
      text: `client_id     ${response.client_id}\nclient_secret ${secret}   (shown once; only its hash is stored)\n`,
    };
  },
};
