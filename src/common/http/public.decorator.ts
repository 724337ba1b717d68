import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'tessera:isPublic';

/** Opts a route out of the surface's global guard (health checks, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
