import type { Response } from 'supertest';

/** Asserts an OAuth error response: status, `error`, no-store, and RFC 6749 §5.2 character set. */
export function expectOAuthError(res: Response, status: number, error: string): void {
  expect({ status: res.status, error: res.body?.error }).toEqual({ status, error });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(Object.keys(res.body as object).sort()).toEqual(
    (res.body as { error_description?: string }).error_description === undefined
      ? ['error']
      : ['error', 'error_description'],
  );
  // R-TOK-10: %x20-21 / %x23-5B / %x5D-7E only
  for (const value of Object.values(res.body as Record<string, string>)) {
    expect(value).toMatch(/^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/);
  }
}
