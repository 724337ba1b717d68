import type { AppConfig } from '../config/app-config.js';
import type { ResourceRegistry } from '../resources/registry/resource-registry.js';
import type { OutboundFetcher, OutboundResponse } from '../outbound/outbound-fetcher.js';
import { ClientIdMetadataResolver, MAX_CONCURRENT_FETCHES } from './client-id-metadata.resolver.js';

const config = {
  env: {
    CLIENT_ID_METADATA_DOCUMENTS: 'on',
    CLIENT_ID_METADATA_DOCUMENT_MIN_TTL: 60,
    CLIENT_ID_METADATA_DOCUMENT_MAX_TTL: 600,
    CLIENT_ID_METADATA_DOCUMENT_CACHE_SIZE: 10,
  },
  scopes: [{ name: 'openid', description: '' }],
} as unknown as AppConfig;

/** The resource registry's catalog: SCOPES plus the registered resources' scopes. */
const resources = {
  catalog: () => Promise.resolve({ scopeNames: () => ['openid'] }),
} as unknown as ResourceRegistry;

/** A fetcher whose answers the test releases by hand. */
function heldFetcher() {
  const waiting: Array<{ url: string; release: (r: OutboundResponse) => void }> = [];
  const fetcher = {
    fetch: (url: string) =>
      new Promise<OutboundResponse>((release) => {
        waiting.push({ url, release });
      }),
  } as unknown as OutboundFetcher;
  const answer = (url: string): OutboundResponse => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(
      JSON.stringify({ client_id: url, client_name: 'x', redirect_uris: ['https://app.example.com/cb'] }),
    ),
  });
  return { fetcher, waiting, answer };
}

describe('ClientIdMetadataResolver (R-MCP-7)', () => {
  it('R-MCP-7: concurrent requests for one document share one fetch', async () => {
    const { fetcher, waiting, answer } = heldFetcher();
    const resolver = new ClientIdMetadataResolver(config, fetcher, resources);
    const url = 'https://app.example.com/c.json';
    const both = Promise.all([resolver.resolve(url), resolver.resolve(url)]);
    await Promise.resolve();
    expect(waiting).toHaveLength(1);
    waiting[0]?.release(answer(url));
    const [a, b] = await both;
    expect(a.clientId).toBe(url);
    expect(b).toBe(a);
    expect(resolver.fetches).toBe(1);
  });

  it(`R-MCP-7: at most ${MAX_CONCURRENT_FETCHES} distinct documents are fetched at once; beyond, 503 temporarily_unavailable`, async () => {
    const { fetcher, waiting, answer } = heldFetcher();
    const resolver = new ClientIdMetadataResolver(config, fetcher, resources);
    const urls = Array.from(
      { length: MAX_CONCURRENT_FETCHES },
      (_, i) => `https://app.example.com/${i}.json`,
    );
    const pending = urls.map((u) => resolver.resolve(u));
    await Promise.resolve();
    await expect(resolver.resolve('https://app.example.com/extra.json')).rejects.toMatchObject({
      status: 503,
      error: 'temporarily_unavailable',
    });
    for (const w of waiting) {
      w.release(answer(w.url));
    }
    await Promise.all(pending);
    const after = resolver.resolve('https://app.example.com/extra.json');
    await Promise.resolve();
    waiting.at(-1)?.release(answer('https://app.example.com/extra.json'));
    expect((await after).clientId).toBe('https://app.example.com/extra.json');
  });
});
