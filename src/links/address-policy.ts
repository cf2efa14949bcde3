/**
 * Which addresses the link checker may connect to. A catalog is someone else's text: a link to
 * 127.0.0.1, 169.254.169.254 (a cloud's metadata service) or 10.0.0.5 would make the checker
 * probe the machine it runs on and its network, so such targets are refused unless allowed.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type AddressKind = 'unspecified' | 'loopback' | 'private' | 'link-local' | 'multicast' | 'reserved';

/** `true` allows every address; a function decides per address (tests allow one loopback address, not another). */
export type AllowPrivate = boolean | ((address: string) => boolean);

const KIND_TEXT: Record<AddressKind, string> = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

export function describeKind(kind: AddressKind): string {
  return KIND_TEXT[kind];
}

function ipv4Kind(bytes: readonly number[]): AddressKind | undefined {
  const [a = 0, b = 0, c = 0] = bytes;
  if (a === 0) return 'unspecified'; // 0.0.0.0/8: "this network"; connecting to it reaches this host
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT, 100.64.0.0/10
  if (a === 169 && b === 254) return 'link-local';
  if (a === 192 && b === 0 && c === 0) return 'reserved'; // IETF protocol assignments
  if (a === 198 && (b === 18 || b === 19)) return 'reserved'; // benchmarking
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved'; // 240.0.0.0/4 and the broadcast address
  return undefined;
}

function parseIpv4(text: string): number[] {
  return text.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address (`::` and a dotted IPv4 tail allowed), or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  if (!isIPv6(text)) return undefined;
  let address = text.toLowerCase().replace(/%.*$/, ''); // a zone id (fe80::1%eth0) says nothing about the range
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = parseIpv4(dotted);
    address = `${address.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const words = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  if (words.length !== 8) return undefined;
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

function ipv6Kind(bytes: readonly number[]): AddressKind | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const [b0 = 0, b1 = 0] = bytes;
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return ipv4Kind(bytes.slice(12)); // ::ffff:a.b.c.d
  if (zeros(0, 16)) return 'unspecified';
  if (zeros(0, 15) && bytes[15] === 1) return 'loopback';
  if (zeros(0, 12)) return 'reserved'; // the deprecated IPv4-compatible ::a.b.c.d
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that a gateway connects to.
  if (b0 === 0x00 && b1 === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) return ipv4Kind(bytes.slice(12));
  if (b0 === 0x20 && b1 === 0x02) return ipv4Kind(bytes.slice(2, 6));
  if ((b0 & 0xfe) === 0xfc) return 'private'; // unique local, fc00::/7
  if (b0 === 0xfe && (b1 & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (b0 === 0xfe && (b1 & 0xc0) === 0xc0) return 'private'; // the deprecated site-local fec0::/10
  if (b0 === 0xff) return 'multicast';
  return undefined;
}

/** What kind of non-public address this is, or undefined for a public one (or something that is not an IP address). */
export function nonPublicKind(address: string): AddressKind | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return ipv4Kind(parseIpv4(bare));
  const bytes = parseIpv6(bare);
  return bytes ? ipv6Kind(bytes) : undefined;
}

/** Thrown (as a connection error) when a link's host is, or resolves to, an address that is not allowed. */
export class PrivateAddressError extends Error {
  readonly code = 'ELINKDEX_PRIVATE_ADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly kind: AddressKind,
  ) {
    super(`${host} is ${address === host ? '' : `at ${address}, `}${describeKind(kind)}`);
    this.name = 'PrivateAddressError';
  }
}

/** The refusal for connecting `host` to `address`, or undefined when that is allowed. */
export function refuseAddress(host: string, address: string, allow: AllowPrivate = false): PrivateAddressError | undefined {
  const kind = nonPublicKind(address);
  if (kind === undefined) return undefined;
  if (allow === true || (typeof allow === 'function' && allow(address))) return undefined;
  return new PrivateAddressError(host, address, kind);
}
