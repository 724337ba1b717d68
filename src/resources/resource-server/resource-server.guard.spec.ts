import { jest } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ANY_SCOPE_KEY, SCOPES_KEY } from './metadata-keys.js';
import { ResourceServerError } from './resource-server.error.js';
import { ResourceServerGuard } from './resource-server.guard.js';
import type { TokenPrincipal } from './token-principal.js';

/** The scope rules of the guard, with the token check replaced by a fixed principal. */
function guardFor(scopes: string[], meta: { all?: string[]; any?: string[] }) {
  const reflector = {
    getAllAndOverride: (key: string) => (key === ANY_SCOPE_KEY ? meta.any : undefined),
    getAllAndMerge: (key: string) => (key === SCOPES_KEY ? (meta.all ?? []) : []),
  } as unknown as Reflector;
  const guard = new ResourceServerGuard(reflector, 'test');
  const principal: TokenPrincipal = { sub: 's', scopes, claims: {}, via: 'jwt' };
  jest
    .spyOn(guard as unknown as { authenticate: () => Promise<TokenPrincipal> }, 'authenticate')
    .mockResolvedValue(principal);
  const context = {
    getType: () => 'http',
    getHandler: () => undefined,
    getClass: () => undefined,
    switchToHttp: () => ({ getRequest: () => ({}), getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
  return () => guard.canActivate(context);
}

async function challengeScope(run: () => Promise<boolean>): Promise<string[] | undefined> {
  try {
    await run();
    return undefined;
  } catch (err) {
    return (err as ResourceServerError).scope;
  }
}

describe('ResourceServerGuard scope challenge (R-RS-10, R-MCP-16)', () => {
  it('R-RS-10: names every scope the operation needs, held ones included', async () => {
    const run = guardFor(['a'], { all: ['a', 'b'] });
    expect(await challengeScope(run)).toEqual(['a', 'b']);
  });

  it('R-MCP-16: @Scopes plus an unsatisfied @AnyScope names both lists', async () => {
    const run = guardFor(['a'], { all: ['a'], any: ['x', 'y'] });
    expect(await challengeScope(run)).toEqual(['a', 'x', 'y']);
  });

  it('R-MCP-16: @Scopes missing while an @AnyScope is held names the held alternative too', async () => {
    const run = guardFor(['y'], { all: ['a'], any: ['x', 'y'] });
    expect(await challengeScope(run)).toEqual(['a', 'y']);
  });

  it('passes when every rule is met', async () => {
    expect(await guardFor(['a', 'x'], { all: ['a'], any: ['x', 'y'] })()).toBe(true);
  });
});
