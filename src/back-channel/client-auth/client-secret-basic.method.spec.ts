import fc from 'fast-check';
import { parseBasic } from './client-secret-basic.method.js';

const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
const header = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;

describe('parseBasic (R-CAUTH-3)', () => {
  it('round-trips any client id and secret that were form-url-encoded by the client', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), (id, secret) => {
        expect(parseBasic(header(id, secret))).toEqual({ clientId: id, secret });
      }),
    );
  });

  it('splits at the first colon and decodes "+" as a space', () => {
    const raw = `Basic ${Buffer.from('id:a+b:c%3A').toString('base64')}`;
    expect(parseBasic(raw)).toEqual({ clientId: 'id', secret: 'a b:c:' });
  });

  it('refuses malformed headers with invalid_client and a Basic challenge', () => {
    for (const bad of [
      'Basic',
      'Basic !!',
      'Bearer x',
      `Basic ${Buffer.from('nocolon').toString('base64')}`,
      `Basic ${Buffer.from('%E0%A4%A:x').toString('base64')}`,
    ]) {
      expect(() => parseBasic(bad)).toThrow(
        expect.objectContaining({
          error: 'invalid_client',
          headers: { 'WWW-Authenticate': 'Basic realm="tessera"' },
        }),
      );
    }
  });
});
