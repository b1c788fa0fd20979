import { isIP } from 'node:net';

/** The groups of an IPv6 address, eight numbers (`::` expanded, an embedded IPv4 tail as two groups). */
function ipv6Groups(address: string): number[] {
  const [head = '', tail = ''] = address.split('%')[0]!.split('::') as [string, string?];
  const parse = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
          return [(a << 8) | b, (c << 8) | d];
        });
  const front = parse(head);
  const back = parse(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * Who counts as one client for a limit per address: an IPv4 address (also when written IPv4-mapped), or an IPv6
 * address's /64, one subscriber's network. Counting single IPv6 addresses gave anyone with a /64 (any home
 * connection) a fresh allowance per address. Every limit per address counts clients: the routes' request limits
 * (rate-limit-store.ts), sign-in and the other identity limits, the tracking lookups.
 */
export function clientOf(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const groups = ipv6Groups(ip);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff)
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}
