import { narrowScope, parseScope } from './scope.js';

describe('scope', () => {
  it('R-TOK-13: parses space-delimited tokens, dropping duplicates and extra spaces', () => {
    expect(parseScope(' read  write read ')).toEqual(['read', 'write']);
  });

  it('R-TOK-13: rejects characters outside RFC 6749 §3.3 scope-token', () => {
    for (const bad of ['re"ad', 'a\\b', 'caf\u00e9', 'tab\there']) {
      expect(() => parseScope(bad)).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
    }
  });

  it('R-AUTHZ-12/R-RT-10: omitted scope means the whole allowed scope; a subset narrows; more is invalid_scope', () => {
    expect(narrowScope(undefined, 'read write')).toBe('read write');
    expect(narrowScope('write', 'read write')).toBe('write');
    expect(() => narrowScope('read admin', 'read write')).toThrow(
      expect.objectContaining({ error: 'invalid_scope' }),
    );
    expect(() => narrowScope('read', '')).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
  });
});
