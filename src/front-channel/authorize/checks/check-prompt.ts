import { InvalidRequest } from '../../../common/errors/oauth-error.js';
import { param, type AuthorizeCheck, type Prompt } from '../authorize-context.js';

const PROMPTS = new Set<string>(['none', 'login', 'consent']);

/** OIDC Core §3.1.2.1 prompt and max_age, as OAuth clients commonly send them. */
export const checkPrompt: AuthorizeCheck = (ctx) => {
  const values = (param(ctx, 'prompt') ?? '').split(' ').filter(Boolean);
  for (const value of values) {
    if (!PROMPTS.has(value)) {
      throw new InvalidRequest('prompt must be none, login or consent');
    }
  }
  if (values.includes('none') && values.length > 1) {
    throw new InvalidRequest('prompt=none cannot be combined with other values');
  }
  ctx.prompt = values as Prompt[];
  const maxAge = param(ctx, 'max_age');
  if (maxAge !== undefined) {
    if (!/^\d{1,9}$/.test(maxAge)) {
      throw new InvalidRequest('max_age must be a non-negative integer');
    }
    ctx.maxAge = Number(maxAge);
  }
};
