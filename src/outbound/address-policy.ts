import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { OutboundFetchError } from './outbound-fetch.error.js';

/**
 * Which addresses an outbound fetch may connect to. Only globally routable unicast addresses
 * pass: ipaddr.js classifies them, and every range it names (loopback, private, linkLocal,
 * uniqueLocal, multicast, unspecified, broadcast, carrierGradeNat, reserved, 6to4, teredo,
 * NAT64...) is refused. IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) IPv6
 * addresses are judged by the IPv4 address they carry.
 */
export function addressProblem(address: string): string | null {
  if (!ipaddr.isValid(address)) {
    return 'is not an IP address';
  }
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    const parts = v6.parts;
    const compat = parts.slice(0, 6).every((p) => p === 0) && (parts[6] !== 0 || (parts[7] ?? 0) > 1);
    if (v6.isIPv4MappedAddress()) {
      ip = v6.toIPv4Address();
    } else if (compat) {
      ip = ipaddr.fromByteArray(v6.toByteArray().slice(12));
    }
  }
  const range = ip.range();
  return range === 'unicast' ? null : `is a ${range} address`;
}

/** Host names that always mean this machine, whatever DNS says. */
const isLocalName = (host: string): boolean => {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
};

/** A URL's host without IPv6 brackets. */
export const bareHost = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Registration-time check of a URL the server will fetch later, without DNS: refuses an IP
 * literal in a blocked range and localhost names. Names are checked again after resolution at
 * fetch time. Returns a problem to show, or null.
 */
export function literalTargetProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL';
  }
  if (allowPrivate) {
    return null;
  }
  const host = bareHost(url);
  if (isLocalName(host)) {
    return 'points at this machine (localhost)';
  }
  const problem = ipaddr.isValid(host) ? addressProblem(host) : null;
  return problem ? `host ${host} ${problem}` : null;
}

export type Resolver = (host: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * Resolves `host` once and vets every address; the caller then connects to exactly these
 * addresses (see `pinnedLookup`), so DNS cannot change the answer between check and connect.
 * One blocked address refuses the whole host (a name with a private address is not trusted).
 */
export async function resolveVetted(
  host: string,
  allowPrivate: boolean,
  resolve: Resolver = systemResolver,
): Promise<LookupAddress[]> {
  if (!allowPrivate && isLocalName(host)) {
    throw new OutboundFetchError('blocked_address', `host ${host} points at this machine`);
  }
  let addresses: LookupAddress[];
  try {
    addresses = ipaddr.isValid(host)
      ? [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }]
      : await resolve(host);
  } catch {
    throw new OutboundFetchError('dns', `host ${host} could not be resolved`);
  }
  if (addresses.length === 0) {
    throw new OutboundFetchError('dns', `host ${host} has no address`);
  }
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const problem = addressProblem(address);
      if (problem) {
        throw new OutboundFetchError(
          'blocked_address',
          `host ${host} resolves to ${address}, which ${problem}`,
        );
      }
    }
  }
  return addresses;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for node:net/tls that answers with the vetted addresses whatever name it is asked
 * for: the socket connects where the check looked, while TLS SNI and Host keep the name.
 */
export function pinnedLookup(addresses: readonly LookupAddress[]) {
  return (_host: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    const first = addresses[0] as LookupAddress;
    if (typeof options === 'object' && options?.all) {
      callback(null, [...addresses]);
    } else {
      callback(null, first.address, first.family);
    }
  };
}
