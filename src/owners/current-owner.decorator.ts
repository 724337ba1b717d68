import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { OwnerEntity } from './owner.entity.js';

/** The owner OwnerLocalGuard authenticated on this request (`request.user`). */
export const CurrentOwner = createParamDecorator(
  (_data: unknown, context: ExecutionContext): OwnerEntity =>
    context.switchToHttp().getRequest<{ user: OwnerEntity }>().user,
);
