import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { resetStoredAdminToken } from '../../admin/admin-credentials.service.js';
import { AdminTokenEntity } from '../../admin/admin-token.entity.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';
import { UsageError, type Command } from '../command.js';

export const adminTokenReset: Command = {
  words: ['admin-token', 'reset'],
  summary:
    'Replace the generated admin bearer token (a lost token); shown once. Running instances follow via Redis pub/sub, else at restart.',
  usage: 'admin-token reset',
  async run(ctx) {
    if (ctx.config.env.ADMIN_TOKEN) {
      throw new UsageError(
        'ADMIN_TOKEN is set: the admin token lives in the environment; change ADMIN_TOKEN instead',
      );
    }
    const app = await ctx.app();
    const token = await resetStoredAdminToken(
      app.get<Repository<AdminTokenEntity>>(getRepositoryToken(AdminTokenEntity)),
      app.get<ShortLivedStore>(SHORT_LIVED_STORE),
    );
    return {
      json: { admin_token: token },
      text: `admin token (shown once; only its hash is stored):\n\n    ${token}\n\n`,
    };
  },
};
