import { QueryFailedError } from 'typeorm';
import { toOAuthError } from './error-classification.js';

describe('toOAuthError', () => {
  const pgError = (code: string) =>
    new QueryFailedError('SELECT 1', [], Object.assign(new Error('pg says no'), { code }));

  it('R-SEC: a PostgreSQL data exception caused by request input is 400 invalid_request', () => {
    // 22021: invalid byte sequence for encoding "UTF8": 0x00 (U+0000 in a path parameter)
    const err = toOAuthError(pgError('22021'));
    expect(err?.status).toBe(400);
    expect(err?.error).toBe('invalid_request');
    expect(toOAuthError(pgError('22001'))?.status).toBe(400); // value too long for its column
  });

  it('R-SEC: other query failures stay server faults, unique violations stay 409', () => {
    expect(toOAuthError(pgError('42P01'))).toBeUndefined(); // undefined_table: our bug, not the client's
    expect(toOAuthError(pgError('23505'))?.status).toBe(409);
    expect(toOAuthError(Object.assign(new Error('x'), { code: '22021' }))).toBeUndefined();
  });

  it('R-SEC: a query past DATABASE_TIMEOUT_MS (hung PostgreSQL) is 503 temporarily_unavailable', () => {
    const timedOut = new QueryFailedError('SELECT 1', [], new Error('Query read timeout'));
    expect(toOAuthError(timedOut)?.status).toBe(503);
    expect(toOAuthError(timedOut)?.error).toBe('temporarily_unavailable');
  });
});
