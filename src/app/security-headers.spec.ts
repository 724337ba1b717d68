import { staticSecurityHeaders } from './security-headers.js';

describe('staticSecurityHeaders', () => {
  it('R-AUTHZ-14: records the headers helmet sets for the options, once', () => {
    const headers = staticSecurityHeaders({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"] } },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      hsts: false,
    });
    expect(headers['content-security-policy']).toBe("default-src 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toBeUndefined();
    expect(Object.isFrozen(headers)).toBe(true);
  });

  it('keeps HSTS when asked for it and turns off what is disabled', () => {
    const headers = staticSecurityHeaders({
      contentSecurityPolicy: false,
      hsts: { maxAge: 31536000, includeSubDomains: true },
    });
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(headers['content-security-policy']).toBeUndefined();
  });

  it('throws on options helmet rejects instead of serving without headers', () => {
    expect(() =>
      staticSecurityHeaders({
        contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ['bad value;'] } },
      }),
    ).toThrow();
  });
});
