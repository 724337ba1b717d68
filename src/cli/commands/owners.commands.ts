import { CreateOwnerDto } from '../../owners/dto/create-owner.dto.js';
import { OwnerResponseDto } from '../../owners/dto/owner-response.dto.js';
import { OwnersService } from '../../owners/owners.service.js';
import { UsageError, type Command } from '../command.js';
import { toUsageError, validateBody } from '../validate-body.js';

export const ownersCreate: Command = {
  words: ['owners', 'create'],
  summary: 'Create a resource owner (same rules as POST /admin/owners); the password is read from stdin.',
  usage: 'owners create --username NAME --password-stdin [--display-name NAME] [--email ADDRESS]',
  options: {
    username: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    'display-name': { type: 'string' },
    email: { type: 'string' },
  },
  async run(ctx) {
    if (ctx.values['password-stdin'] !== true) {
      throw new UsageError(
        'pass the password on standard input with --password-stdin (never as an argument)',
      );
    }
    const password = (await ctx.stdin()).replace(/\r?\n$/, '');
    const dto = await validateBody(CreateOwnerDto, {
      username: ctx.values.username,
      password,
      ...(ctx.values['display-name'] !== undefined ? { display_name: ctx.values['display-name'] } : {}),
      ...(ctx.values.email !== undefined ? { email: ctx.values.email } : {}),
    });
    const app = await ctx.app();
    const owner = await app
      .get(OwnersService)
      .create({
        username: dto.username,
        password: dto.password,
        displayName: dto.display_name,
        email: dto.email,
      })
      .catch((err: unknown) => Promise.reject(toUsageError(err)));
    const response = OwnerResponseDto.from(owner);
    return { json: response, text: `owner ${response.id} (${response.username}) created\n` };
  },
};

export const ownersDisable: Command = {
  words: ['owners', 'disable'],
  summary: 'Disable an owner (PATCH /admin/owners/:id {"disabled":true}): no more logins.',
  usage: 'owners disable OWNER_ID',
  async run(ctx) {
    const [id] = ctx.positionals;
    if (!id) {
      throw new UsageError('usage: tessera owners disable OWNER_ID');
    }
    const app = await ctx.app();
    const owner = await app
      .get(OwnersService)
      .disable(id)
      .catch((err: unknown) => Promise.reject(toUsageError(err)));
    const response = OwnerResponseDto.from(owner);
    return { json: response, text: `owner ${response.id} (${response.username}) disabled\n` };
  },
};
