import { signWebhook, verifyWebhook } from './webhook-signer.js';

describe('webhook signature', () => {
  const body = '{"id":"e1","type":"client.created"}';

  it('verifies its own signature within the replay window', () => {
    const header = signWebhook('s3cret', body, 1_000_000);
    expect(header).toMatch(/^t=1000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook('s3cret', body, header, 1_000_000 + 299)).toBe(true);
  });

  it('refuses another secret, another body, an old or future timestamp, and garbage', () => {
    const header = signWebhook('s3cret', body, 1_000_000);
    expect(verifyWebhook('other', body, header, 1_000_000)).toBe(false);
    expect(verifyWebhook('s3cret', `${body} `, header, 1_000_000)).toBe(false);
    expect(verifyWebhook('s3cret', body, header, 1_000_000 + 301)).toBe(false);
    expect(verifyWebhook('s3cret', body, header, 1_000_000 - 301)).toBe(false);
    expect(verifyWebhook('s3cret', body, header.replace('t=1000000', 't=1000001'), 1_000_000)).toBe(false);
    expect(verifyWebhook('s3cret', body, 'v1=abc', 1_000_000)).toBe(false);
    expect(verifyWebhook('s3cret', body, undefined)).toBe(false);
  });
});
