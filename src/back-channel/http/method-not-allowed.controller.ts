import { Delete, Controller, Get, Patch, Put } from '@nestjs/common';
import { MethodNotAllowed } from './oauth-form.js';

const PATHS = ['token', 'introspect', 'revoke', 'par'];

/** R-TOK-1: any method but POST on the OAuth POST endpoints → 405 with `Allow: POST`. */
@Controller()
export class MethodNotAllowedController {
  @Get(PATHS)
  get(): never {
    throw new MethodNotAllowed();
  }

  @Put(PATHS)
  put(): never {
    throw new MethodNotAllowed();
  }

  @Patch(PATHS)
  patch(): never {
    throw new MethodNotAllowed();
  }

  @Delete(PATHS)
  delete(): never {
    throw new MethodNotAllowed();
  }
}
