import { addressProblem, literalTargetProblem, pinnedLookup, resolveVetted } from './address-policy.js';
import { OutboundFetchError } from './outbound-fetch.error.js';

const blocked: [string, string][] = [
  ['IPv4 loopback', '127.0.0.1'],
  ['IPv4 loopback (other)', '127.255.0.9'],
  ['IPv4 private 10/8', '10.1.2.3'],
  ['IPv4 private 172.16/12', '172.20.0.1'],
  ['IPv4 private 192.168/16', '192.168.1.1'],
  ['IPv4 link-local (cloud metadata)', '169.254.169.254'],
  ['IPv4 carrier-grade NAT', '100.64.0.1'],
  ['IPv4 unspecified', '0.0.0.0'],
  ['IPv4 broadcast', '255.255.255.255'],
  ['IPv4 multicast', '224.0.0.1'],
  ['IPv4 reserved', '240.0.0.1'],
  ['IPv4 documentation', '192.0.2.1'],
  ['IPv6 loopback', '::1'],
  ['IPv6 unspecified', '::'],
  ['IPv6 link-local', 'fe80::1'],
  ['IPv6 unique-local', 'fd00::1'],
  ['IPv6 multicast', 'ff02::1'],
  ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
  ['IPv4-mapped private (hex form)', '::ffff:a00:1'],
  ['IPv4-mapped link-local', '::ffff:169.254.169.254'],
  ['IPv4-compatible loopback', '::127.0.0.1'],
  ['NAT64 of loopback', '64:ff9b::7f00:1'],
  ['6to4', '2002:7f00:1::1'],
];

describe('outbound address policy', () => {
  it.each(blocked)('R-MCP-7: refuses %s (%s)', (_name, address) => {
    expect(addressProblem(address)).toEqual(expect.any(String));
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'R-MCP-7: allows the global unicast address %s',
    (address) => {
      expect(addressProblem(address)).toBeNull();
    },
  );

  it.each([
    'https://127.0.0.1:6379/',
    'https://0x7f000001/jwks',
    'https://2130706433/jwks',
    'https://127.1/jwks',
    'https://0177.0.0.1/jwks',
    'https://[::1]/jwks',
    'https://[::ffff:127.0.0.1]/jwks',
    'https://[fe80::1]/jwks',
    'https://169.254.169.254/latest/meta-data',
    'https://localhost/jwks',
    'https://api.localhost/jwks',
    'https://LOCALHOST./jwks',
  ])('R-MCP-7: a registration-time check refuses %s', (url) => {
    expect(literalTargetProblem(url, false)).toEqual(expect.any(String));
    expect(literalTargetProblem(url, true)).toBeNull();
  });

  it('R-MCP-7: a registration-time check lets host names through (vetted after resolution)', () => {
    expect(literalTargetProblem('https://client.example.com/jwks', false)).toBeNull();
    expect(literalTargetProblem('https://8.8.8.8/jwks', false)).toBeNull();
  });

  it('R-MCP-7: a name with any blocked address is refused after resolution', async () => {
    const resolver = () =>
      Promise.resolve([
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ]);
    await expect(resolveVetted('mixed.example', false, resolver)).rejects.toMatchObject({
      code: 'blocked_address',
    });
    await expect(resolveVetted('mixed.example', true, resolver)).resolves.toHaveLength(2);
  });

  it('R-MCP-7: a name that does not resolve is the error dns', async () => {
    const err = await resolveVetted('nowhere.example', false, () =>
      Promise.reject(new Error('ENOTFOUND')),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundFetchError);
    expect((err as OutboundFetchError).code).toBe('dns');
  });

  it('R-MCP-7: DNS rebinding guard: the host is resolved once and the socket lookup answers only the vetted address', async () => {
    const answers = [[{ address: '93.184.216.34', family: 4 }], [{ address: '127.0.0.1', family: 4 }]];
    let calls = 0;
    const rebinding = () => Promise.resolve(answers[calls++] ?? []);
    const vetted = await resolveVetted('rebind.example', false, rebinding);
    expect(calls).toBe(1);
    const lookup = pinnedLookup(vetted);
    const one = await new Promise<unknown[]>((resolve) =>
      lookup('rebind.example', {}, (...args) => resolve(args)),
    );
    expect(one).toEqual([null, '93.184.216.34', 4]);
    const all = await new Promise<unknown[]>((resolve) =>
      lookup('rebind.example', { all: true }, (...args) => resolve(args)),
    );
    expect(all).toEqual([null, [{ address: '93.184.216.34', family: 4 }]]);
    expect(calls).toBe(1); // the connection never asked DNS again
  });
});
