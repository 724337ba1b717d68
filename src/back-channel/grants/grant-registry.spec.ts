import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { GrantHandlerProvider, type GrantHandler, type TokenResponse } from './grant-handler.js';
import { GrantRegistry } from './grant-registry.js';

@Injectable()
@GrantHandlerProvider()
class ExampleGrant implements GrantHandler {
  readonly grantType = 'urn:example:grant';
  readonly parameters = ['assertion'];
  handle(): Promise<TokenResponse> {
    return Promise.resolve({ access_token: 'x', token_type: 'Bearer', expires_in: 1, scope: '' });
  }
}

@Injectable()
class NotAGrant {}

/** A grant from another module: discovered without touching the tokens module. */
@Module({ providers: [ExampleGrant, NotAGrant] })
class OtherModule {}

describe('GrantRegistry', () => {
  it('discovers @GrantHandlerProvider() providers of any module', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule, OtherModule],
      providers: [GrantRegistry],
    }).compile();
    await moduleRef.init();
    const registry = moduleRef.get(GrantRegistry);
    expect(registry.grantTypes()).toEqual(['urn:example:grant']);
    expect(registry.get('urn:example:grant')).toBeInstanceOf(ExampleGrant);
    expect([...registry.parameters()]).toEqual(['assertion']);
    await moduleRef.close();
  });

  it('R-TOK-6: refuses password/implicit handlers and duplicate grant types', () => {
    const registry = new GrantRegistry({ getProviders: () => [] } as never, {} as never);
    const grant = (grantType: string): GrantHandler => ({
      ...new ExampleGrant(),
      grantType,
      handle: () => Promise.reject(new Error()),
    });
    expect(() => registry.register(grant('password'))).toThrow(/not allowed/);
    registry.register(grant('a'));
    expect(() => registry.register(grant('a'))).toThrow(/two handlers/);
  });
});
