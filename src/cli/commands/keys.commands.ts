import { SigningKeyDto } from '../../keys/dto/signing-key.dto.js';
import { KeysService } from '../../keys/keys.service.js';
import type { Command } from '../command.js';

export const keysRotate: Command = {
  words: ['keys', 'rotate'],
  summary: 'Create the next signing key now (POST /admin/keys/rotate).',
  usage: 'keys rotate',
  async run(ctx) {
    const app = await ctx.app();
    const keys = app.get(KeysService);
    const created = await keys.rotate();
    const listed = keys.list().find((k) => k.kid === created.kid);
    const response = SigningKeyDto.from(listed ?? { ...created, state: 'pending' });
    return {
      json: response,
      text: `key ${response.kid} (${response.alg}) created: published now, signs from ${new Date(created.activatesAt).toISOString()}\n`,
    };
  },
};
