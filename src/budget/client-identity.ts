/**
 * Who a request comes from, for rate limits and credit budgets: a verified client key, or else the
 * client's address. A bearer token that is not a configured key never names a client (with keys
 * configured it is refused before this; without keys it is ignored), so a made-up token per request
 * cannot buy a fresh budget. IPv6 addresses count by their /64, the block one machine usually holds.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Keys are compared and counted by hash, so that no key is ever held in a log line or a limiter. */
export const fingerprint = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16);

/** The bearer token of a request, if any. */
export const bearerToken = (request: Request) => /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];

/** The first four groups of an IPv6 address (its /64), or undefined when it does not parse. */
function ipv6Prefix(address: string): string | undefined {
  const [head = '', tail] = address.split('::');
  const groups = head ? head.split(':') : [];
  if (tail !== undefined) {
    const rest = tail ? tail.split(':') : [];
    groups.push(...Array<string>(Math.max(0, 8 - groups.length - rest.length)).fill('0'), ...rest);
  }
  if (groups.length < 4) return undefined;
  return groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':');
}

/** The bucket an address counts in: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64. */
export function addressKey(raw: string | undefined): string | undefined {
  const address = raw
    ?.trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  if (!address) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return mapped;
  const version = isIP(address);
  if (version === 4) return address;
  if (version === 6) return ipv6Prefix(address) && `${ipv6Prefix(address)}::/64`;
  return undefined;
}

/** The address a trusted proxy names: the last hop it appended, for X-Forwarded-For. */
function forwardedAddress(request: Request, header: string): string | undefined {
  const value = request.headers.get(header);
  if (!value) return undefined;
  return header === 'x-forwarded-for' ? value.split(',').at(-1) : value;
}

export interface IdentityOptions {
  /** Fingerprints of the configured client keys (empty: no client keys). */
  keys: ReadonlySet<string>;
  /** The forwarded header to believe, when a trusted proxy sets it. */
  trustProxy: string | undefined;
}

const identities = new WeakMap<Request, string>();

/**
 * The client a request counts against: `key:<fingerprint>` for a configured key, else `ip:<address>`
 * (`ip:unknown` when the server was not reached over a socket, e.g. in-process calls).
 */
export function clientOf(request: Request, req: IncomingMessage | undefined, options: IdentityOptions): string {
  let id = identities.get(request);
  if (id !== undefined) return id;
  const token = options.keys.size > 0 ? bearerToken(request) : undefined;
  const key = token !== undefined ? fingerprint(token) : undefined;
  if (key !== undefined && options.keys.has(key)) id = `key:${key}`;
  else {
    const forwarded = options.trustProxy ? addressKey(forwardedAddress(request, options.trustProxy)) : undefined;
    id = `ip:${forwarded ?? addressKey(req?.socket.remoteAddress) ?? 'unknown'}`;
  }
  identities.set(request, id);
  return id;
}
