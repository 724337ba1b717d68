import { ClientEntity } from '../clients/client.entity.js';
import { MetadataDocumentCache, freshnessSeconds } from './metadata-document.cache.js';

const client = (id: string): ClientEntity => Object.assign(new ClientEntity(), { clientId: id });

describe('metadata document cache (R-MCP-7)', () => {
  it('R-MCP-7: reads max-age, Expires, and treats no-store/no-cache as not reusable', () => {
    expect(freshnessSeconds({ 'cache-control': 'public, max-age=300' })).toBe(300);
    expect(freshnessSeconds({ 'cache-control': 'no-store' })).toBe(0);
    expect(freshnessSeconds({ 'cache-control': 'max-age=300, no-cache' })).toBe(0);
    const date = 'Mon, 07 Dec 2026 00:00:00 GMT';
    expect(freshnessSeconds({ date, expires: 'Mon, 07 Dec 2026 00:02:00 GMT' })).toBe(120);
    expect(freshnessSeconds({})).toBe(0);
  });

  it('R-MCP-7: clamps the lifetime into [min, max] and expires entries', () => {
    const cache = new MetadataDocumentCache({ minTtlSeconds: 60, maxTtlSeconds: 600, maxEntries: 10 });
    cache.set('a', client('a'), { 'cache-control': 'max-age=5' }, 0);
    expect(cache.get('a', 59_000)?.clientId).toBe('a');
    expect(cache.get('a', 60_000)).toBeUndefined();
    cache.set('b', client('b'), { 'cache-control': 'max-age=999999' }, 0);
    expect(cache.get('b', 599_000)?.clientId).toBe('b');
    expect(cache.get('b', 600_000)).toBeUndefined();
  });

  it('R-MCP-7: holds at most maxEntries, dropping the least recently used', () => {
    const cache = new MetadataDocumentCache({ minTtlSeconds: 60, maxTtlSeconds: 600, maxEntries: 2 });
    cache.set('a', client('a'), {}, 0);
    cache.set('b', client('b'), {}, 0);
    cache.get('a', 1);
    cache.set('c', client('c'), {}, 2);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 3)).toBeUndefined();
    expect(cache.get('a', 3)?.clientId).toBe('a');
  });

  it('with a zero minimum, a document that forbids reuse is not kept', () => {
    const cache = new MetadataDocumentCache({ minTtlSeconds: 0, maxTtlSeconds: 600, maxEntries: 2 });
    cache.set('a', client('a'), { 'cache-control': 'no-store' }, 0);
    expect(cache.get('a', 0)).toBeUndefined();
  });
});
