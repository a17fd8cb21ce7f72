// IP addresses as bytes, and where on the internet an address is. The outbound guard
// (outbound-http.ts) decides on bytes, never on the spelling: one address has many spellings
// (`127.0.0.1`, `2130706433`, `0177.0.0.1`, `::ffff:7f00:1`, `::ffff:127.0.0.1`, `64:ff9b::7f00:1`),
// and a check on strings misses the ones it did not think of.
//
// The ranges are those of the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its
// updates) that are not globally reachable, plus every IPv6 address outside global unicast 2000::/3
// (RFC 4291 §2.4); transition forms that embed an IPv4 address are judged by the address they embed.

/** An address's bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = Uint8Array;

/** Where an address is; only `public` is on the public internet. */
export type AddressKind =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved';

/** The kind of an address, and the notation through which an embedded IPv4 address was judged. */
export interface AddressClass {
  kind: AddressKind;
  /** The IPv4 address judged in place of an IPv6 one (mapped, compatible, NAT64, 6to4). */
  embedded?: { via: 'ipv4-mapped' | 'ipv4-compatible' | 'nat64' | '6to4'; v4: string };
}

const DIGITS: Record<number, RegExp> = { 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-f]*$/i };

function ipv4Number(part: string): number | null {
  let radix = 10;
  let digits = part;
  if (/^0x/i.test(part)) {
    radix = 16;
    digits = part.slice(2);
  } else if (part.length > 1 && part.startsWith('0')) {
    radix = 8;
    digits = part.slice(1);
  }
  if (!DIGITS[radix].test(digits) || (radix !== 16 && digits === '')) return null;
  // 32 bits take at most 11 digits in any of the radixes (octal 37777777777); longer cannot fit, and
  // refusing it here keeps parseInt exact
  if (digits.replace(/^0+/, '').length > 11) return null;
  return digits === '' ? 0 : parseInt(digits, radix);
}

/**
 * Parses IPv4 in every notation inet_aton(3) and the WHATWG URL Standard's IPv4 parser accept: one to
 * four parts, each decimal, octal (leading 0) or hex (0x), the last part filling the remaining bytes
 * (`127.1`, `2130706433`, `0177.0.0.1`, `0x7f.0.0.1`), and one trailing dot.
 */
export function parseIPv4(text: string): IpBytes | null {
  const parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length < 1 || parts.length > 4 || parts.some((p) => p === '')) return null;
  const numbers = parts.map(ipv4Number);
  if (numbers.some((n) => n === null)) return null;
  const n = numbers as number[];
  const last = n[n.length - 1];
  if (n.slice(0, -1).some((x) => x > 255) || last >= 256 ** (5 - n.length)) return null;
  let value = last;
  for (let i = 0; i < n.length - 1; i++) value += n[i] * 256 ** (3 - i);
  return Uint8Array.of(value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255);
}

function dottedQuad(text: string): IpBytes | null {
  // RFC 4291 §2.2 (3): the IPv4 tail of an IPv6 address is four decimal parts
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? Uint8Array.from(bytes) : null;
}

function groups(side: string): number[] | null {
  if (side === '') return [];
  const out: number[] = [];
  const parts = side.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = dottedQuad(p);
      if (!v4) return null;
      out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else {
      if (!/^[0-9a-f]{1,4}$/i.test(p)) return null;
      out.push(parseInt(p, 16));
    }
  }
  return out;
}

/**
 * Parses IPv6 text (RFC 4291 §2.2: `::` compression, an IPv4 tail), with or without the brackets of a
 * URL host; a zone (`%eth0`, RFC 4007 §11) is reported, since only non-global addresses have one.
 */
export function parseIPv6(text: string): { bytes: IpBytes; zone: boolean } | null {
  let t = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const pct = t.indexOf('%');
  const zone = pct >= 0;
  if (zone) {
    if (pct === t.length - 1) return null;
    t = t.slice(0, pct);
  }
  const halves = t.split('::');
  if (halves.length > 2) return null;
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  // an IPv4 tail is only allowed at the very end
  if (halves.length === 2 && halves[0].includes('.')) return null;
  const count = head.length + tail.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return null;
  const all = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 255;
  });
  return { bytes, zone };
}

/** Parses an address in any notation above (IPv4 forms first, then IPv6); null when `text` is not an address. */
export function parseIp(text: string): { bytes: IpBytes; zone: boolean } | null {
  const v4 = parseIPv4(text);
  if (v4) return { bytes: v4, zone: false };
  return text.includes(':') ? parseIPv6(text) : null;
}

/** Canonical dotted-quad text of 4 bytes. */
export function formatIPv4(b: IpBytes): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

function inPrefix(bytes: IpBytes, prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((bytes[byte] & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

// IANA IPv4 Special-Purpose Address Registry entries that are not globally reachable (and multicast,
// RFC 5771), most specific first where they overlap
const V4_RANGES: [number[], number, AddressKind][] = [
  [[0, 0, 0, 0], 8, 'unspecified'], // RFC 791 "this network"; 0.0.0.0 reaches the local host on Linux
  [[10, 0, 0, 0], 8, 'private'], // RFC 1918
  [[100, 64, 0, 0], 10, 'shared'], // RFC 6598 carrier-grade NAT
  [[127, 0, 0, 0], 8, 'loopback'], // RFC 1122
  [[169, 254, 0, 0], 16, 'link-local'], // RFC 3927; cloud metadata services live here
  [[172, 16, 0, 0], 12, 'private'], // RFC 1918
  [[192, 0, 0, 0], 24, 'reserved'], // RFC 6890 IETF protocol assignments
  [[192, 0, 2, 0], 24, 'documentation'], // RFC 5737 TEST-NET-1
  [[192, 88, 99, 0], 24, 'reserved'], // RFC 7526 deprecated 6to4 relay anycast
  [[192, 168, 0, 0], 16, 'private'], // RFC 1918
  [[198, 18, 0, 0], 15, 'benchmarking'], // RFC 2544
  [[198, 51, 100, 0], 24, 'documentation'], // RFC 5737 TEST-NET-2
  [[203, 0, 113, 0], 24, 'documentation'], // RFC 5737 TEST-NET-3
  [[224, 0, 0, 0], 4, 'multicast'], // RFC 5771
  [[240, 0, 0, 0], 4, 'reserved'], // RFC 1112 reserved, with 255.255.255.255 limited broadcast (RFC 919)
];

function classifyV4(b: IpBytes): AddressKind {
  return V4_RANGES.find(([prefix, bits]) => inPrefix(b, prefix, bits))?.[2] ?? 'public';
}

const V6 = (...g: number[]): number[] => g.flatMap((x) => [x >> 8, x & 255]);

// IANA IPv6 Special-Purpose Address Registry entries inside 2000::/3 that are not globally reachable
const V6_GLOBAL_EXCEPTIONS: [number[], number, AddressKind][] = [
  [V6(0x2001, 0x0db8), 32, 'documentation'], // RFC 3849
  [V6(0x2001, 0x0000), 32, 'reserved'], // RFC 4380 Teredo: the client's IPv4 address is obfuscated, never judged
  [V6(0x2001, 0x0002), 48, 'benchmarking'], // RFC 5180
  [V6(0x2001, 0x0000), 23, 'reserved'], // RFC 2928 IETF protocol assignments (ORCHID, AMT, ...)
  [V6(0x3fff), 20, 'documentation'], // RFC 9637
];

function v4At(b: IpBytes, offset: number): IpBytes {
  return b.slice(offset, offset + 4);
}

function embedded(via: NonNullable<AddressClass['embedded']>['via'], v4: IpBytes, kind = classifyV4(v4)): AddressClass {
  return { kind, embedded: { via, v4: formatIPv4(v4) } };
}

function classifyV6(b: IpBytes): AddressClass {
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return embedded('ipv4-mapped', v4At(b, 12)); // RFC 4291 §2.5.5.2
  if (zero(0, 12)) {
    if (zero(12, 15) && b[15] === 0) return { kind: 'unspecified' };
    if (zero(12, 15) && b[15] === 1) return { kind: 'loopback' };
    // RFC 4291 §2.5.5.1: IPv4-compatible addresses are deprecated; none is public, and a private
    // embedded address is named as such
    const v4 = v4At(b, 12);
    const k = classifyV4(v4);
    return embedded('ipv4-compatible', v4, k === 'public' ? 'reserved' : k);
  }
  if (inPrefix(b, V6(0x0064, 0xff9b), 96)) return embedded('nat64', v4At(b, 12)); // RFC 6052 well-known prefix
  if (inPrefix(b, V6(0x0064, 0xff9b, 0x0001), 48)) return { kind: 'reserved' }; // RFC 8215 local-use NAT64
  if (inPrefix(b, V6(0x2002), 16)) return embedded('6to4', v4At(b, 2)); // RFC 3056: the 6to4 site's IPv4 address
  if (inPrefix(b, V6(0xff00), 8)) return { kind: 'multicast' }; // RFC 4291 §2.7
  if (inPrefix(b, V6(0xfe80), 10)) return { kind: 'link-local' }; // RFC 4291 §2.5.6
  if (inPrefix(b, V6(0xfec0), 10)) return { kind: 'site-local' }; // RFC 3879 deprecated
  if (inPrefix(b, V6(0xfc00), 7)) return { kind: 'unique-local' }; // RFC 4193
  if (!inPrefix(b, V6(0x2000), 3)) return { kind: 'reserved' }; // RFC 4291 §2.4: 100::/64 discard, 5f00::/16 SRv6, unassigned
  return { kind: V6_GLOBAL_EXCEPTIONS.find(([prefix, bits]) => inPrefix(b, prefix, bits))?.[2] ?? 'public' };
}

/** Classifies an address given as text in any notation; null when `text` is not an IP address. */
export function classifyAddress(text: string): AddressClass | null {
  const ip = parseIp(text);
  if (!ip) return null;
  const c = ip.bytes.length === 4 ? { kind: classifyV4(ip.bytes) } : classifyV6(ip.bytes);
  // a zone belongs to a link (RFC 4007 §6); a global address with one is not what it seems
  return ip.zone && c.kind === 'public' ? { ...c, kind: 'reserved' } : c;
}

/** Whether `text` is not a public address (anything that is not an IP address counts as not public). */
export function isNonPublicAddress(text: string): boolean {
  return classifyAddress(text)?.kind !== 'public';
}
