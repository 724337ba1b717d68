import { matchesRegisteredRedirectUri, redirectUriProblem } from './redirect-uri.js';

describe('redirect URI registration rules', () => {
  it.each([
    'https://app.example.com/callback',
    'https://app.example.com/callback?tenant=a&x=1',
    'https://app.example.com:8443/cb',
    'http://127.0.0.1/cb',
    'http://127.0.0.1:8080/cb',
    'http://[::1]:53117/callback',
    'http://[::1]',
    'http://localhost:6274/oauth/callback',
    'com.example.app:/oauth2redirect',
    'com.example.app://callback',
  ])('R-CLI-7/R-CLI-8/R-CLI-9/R-CLI-10: accepts %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeNull();
  });

  it.each([
    ['https://*.example.com/cb', 'wildcards'],
    ['https://app.example.com/*', 'wildcards'],
    ['https://app.example.com/cb#frag', 'fragment'],
    ['https://app.example.com/cb#', 'fragment'],
    ['/relative/cb', 'absolute'],
    ['app.example.com/cb', 'absolute'],
    ['', 'characters'],
    ['https://app.example.com/a b', 'whitespace'],
    ['http://app.example.com/cb', 'https'],
    ['http://127.0.0.2/cb', 'https'],
    ['http://localhost.evil.com/cb', 'https'],
    ['http://127.0.0.1:8080@evil.com/cb', 'credentials'],
    ['HTTP://127.0.0.1/cb', 'https'],
    ['https://user:pw@app.example.com/cb', 'credentials'],
    ['myapp:/cb', 'not allowed'],
    ['javascript:alert(1)', 'not allowed'],
    ['data:text/html,hi', 'not allowed'],
    ['file:///etc/passwd', 'not allowed'],
    ['https://', 'absolute'],
    [`https://app.example.com/${'a'.repeat(2000)}`, 'characters'],
  ])('R-CLI-6/R-CLI-7/R-CLI-8/R-CLI-9: rejects %s', (uri, reason) => {
    expect(redirectUriProblem(uri)).toContain(reason);
  });
});

describe('matchesRegisteredRedirectUri', () => {
  const registered = [
    'https://app.example.com/cb?x=1',
    'http://127.0.0.1/callback',
    'http://[::1]:4000/cb',
    'http://localhost:6274/oauth/callback',
    'com.example.app:/redirect',
  ];

  it.each([
    'https://app.example.com/cb?x=1',
    'com.example.app:/redirect',
    'http://127.0.0.1/callback',
    'http://127.0.0.1:51004/callback',
    'http://[::1]/cb',
    'http://[::1]:65535/cb',
    'http://localhost:9999/oauth/callback',
  ])('R-AUTHZ-5/R-AUTHZ-6: accepts %s', (uri) => {
    expect(matchesRegisteredRedirectUri(registered, uri)).toBe(true);
  });

  it.each([
    'https://app.example.com/cb',
    'https://app.example.com/cb?x=1&y=2',
    'https://APP.example.com/cb?x=1',
    'https://app.example.com/cb/?x=1',
    'https://app.example.com:443/cb?x=1',
    'https://app.example.com/cb?x=1#f',
    'https://app.example.com:8443/cb?x=1',
    'http://127.0.0.1:51004/callback/',
    'http://127.0.0.1:51004/Callback',
    'http://localhost:51004/callback',
    'http://[::1]:4000/cb?extra=1',
    'https://127.0.0.1/callback',
    'http://127.0.0.1:0/callback',
    'http://127.0.0.1:99999/callback',
    'http://127.0.0.1:8080@evil.com/callback',
    'http://127.0.0.1.evil.com/callback',
    'com.example.app:/redirect/',
    '',
  ])('R-AUTHZ-5/R-AUTHZ-6: rejects %s', (uri) => {
    expect(matchesRegisteredRedirectUri(registered, uri)).toBe(false);
  });

  it('R-AUTHZ-6: the loopback port exception never applies to non-loopback registrations', () => {
    expect(
      matchesRegisteredRedirectUri(['https://app.example.com:8443/cb'], 'https://app.example.com:9443/cb'),
    ).toBe(false);
  });

  it('R-AUTHZ-5: no registered URIs match nothing', () => {
    expect(matchesRegisteredRedirectUri([], 'http://127.0.0.1/cb')).toBe(false);
  });
});
