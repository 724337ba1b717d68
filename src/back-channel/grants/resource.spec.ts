import { normalizeResource, selectResource } from './resource.js';

describe('resource indicators', () => {
  it('R-MCP-4: scheme and host compare case-insensitively; a lone trailing slash is ignored', () => {
    expect(normalizeResource('HTTPS://API.Example.com/')).toBe('https://api.example.com');
    expect(normalizeResource('https://api.example.com/v1/')).toBe('https://api.example.com/v1/');
    expect(normalizeResource('https://api.example.com/V1')).toBe('https://api.example.com/V1');
  });

  it('R-AT-6: relative URIs and fragments are refused', () => {
    expect(normalizeResource('/relative')).toBeNull();
    expect(normalizeResource('https://api.example.com/#frag')).toBeNull();
    expect(normalizeResource('https://api.example.com#')).toBeNull();
  });

  it('R-AT-8/R-AT-9: returns the registered spelling of the one allowed resource', () => {
    const allowed = ['https://api.example.com', 'https://b.example.com/x'];
    expect(selectResource([], allowed)).toBeUndefined();
    expect(selectResource(['https://API.example.com/'], allowed)).toBe('https://api.example.com');
    for (const bad of [['https://c.example.com'], ['nope'], allowed]) {
      expect(() => selectResource(bad, allowed)).toThrow(
        expect.objectContaining({ error: 'invalid_target' }),
      );
    }
  });
});
