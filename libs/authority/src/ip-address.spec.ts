import fc from 'fast-check';
import { classifyAddress, isNonPublicAddress, parseIPv4, parseIPv6, parseIp, type AddressKind } from './ip-address';

const hex = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('hex') : null);

describe('IP address parsing', () => {
  it('reads IPv4 in every notation inet_aton and the WHATWG URL parser accept, and nothing else', () => {
    const table: [string, string | null][] = [
      ['127.0.0.1', '7f000001'], ['2130706433', '7f000001'], ['0177.0.0.1', '7f000001'], ['0x7f.0.0.1', '7f000001'], ['0X7F.0.0.1', '7f000001'],
      ['127.1', '7f000001'], ['127.0.1', '7f000001'], ['0x7f000001', '7f000001'], ['017700000001', '7f000001'], ['127.0.0.1.', '7f000001'],
      ['0', '00000000'], ['0x', '00000000'], ['0.0.0.0', '00000000'], ['255.255.255.255', 'ffffffff'], ['4294967295', 'ffffffff'],
      ['00000000000000000000000000177.0.0.1', '7f000001'], ['10.0.0.0377', '0a0000ff'],
      ['4294967296', null], ['256.0.0.1', null], ['1.2.3.4.5', null], ['08.0.0.1', null], ['0x1g.0.0.1', null], ['1..2.3', null], ['', null],
      ['.1.2.3', null], ['1.2.3.4..', null], [' 1.2.3.4', null], ['+1.2.3.4', null], ['-1', null], ['1e3', null], ['localhost', null], ['127.0.0.1.example', null],
      ['1.256.3', null], ['1.65536', '01010000'], ['1.2.65536', null], ['077777777777', null], ['99999999999999999999', null],
    ];
    for (const [text, want] of table) expect([text, hex(parseIPv4(text))]).toEqual([text, want]);
  });

  it('reads IPv6 with compression, an IPv4 tail, brackets and zones, and nothing else', () => {
    const table: [string, string | null, boolean?][] = [
      ['::', '0'.repeat(32)], ['::1', `${'0'.repeat(31)}1`], ['[::1]', `${'0'.repeat(31)}1`], ['1::', `0001${'0'.repeat(28)}`],
      ['::ffff:7f00:1', '00000000000000000000ffff7f000001'], ['::ffff:127.0.0.1', '00000000000000000000ffff7f000001'],
      ['0:0:0:0:0:ffff:127.0.0.1', '00000000000000000000ffff7f000001'], ['::127.0.0.1', '0000000000000000000000007f000001'],
      ['64:ff9b::7f00:1', '0064ff9b0000000000000000 7f000001'.replace(' ', '')], ['2001:DB8::1', '20010db8000000000000000000000001'],
      ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'], ['fe80::1%eth0', 'fe800000000000000000000000000001', true],
      ['1:2:3:4:5:6:7:8:9', null], ['1:2:3:4:5:6:7', null], ['1::2::3', null], [':::', null], ['1:2:3:4:5:6:7::8', null], ['12345::', null],
      ['::1.2.3', null], ['::1.2.3.256', null], ['::0x7f.0.0.1', null], ['1.2.3.4::', null], ['::1%', null], [':1::', null], ['g::', null], ['[::1', null],
    ];
    for (const [text, want, zone] of table) {
      const got = parseIPv6(text);
      expect([text, hex(got?.bytes), got ? got.zone : undefined]).toEqual([text, want, want === null ? undefined : zone === true]);
    }
  });

  it('agrees with Node\'s WHATWG URL parser on every IPv4 notation of random addresses', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(10, 8, 16), (n, radix) => {
      const b = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
      const part = (x: number) => (radix === 10 ? String(x) : radix === 8 ? `0${x.toString(8)}` : `0x${x.toString(16)}`);
      for (const text of [part(n), `${part(b[0])}.${part(n & 0xffffff)}`, `${part(b[0])}.${part(b[1])}.${part(n & 0xffff)}`, b.map(part).join('.')]) {
        expect(hex(parseIPv4(text))).toBe(hex(parseIPv4(new URL(`http://${text}/`).hostname)));
        expect(new URL(`http://${text}/`).hostname).toBe(b.join('.'));
      }
    }));
  });

  it('agrees with Node\'s WHATWG URL parser on random IPv6 addresses, written out and as Node compresses them', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 8 }), (bytes, zeros) => {
      bytes.fill(0, 0, zeros * 2); // runs of zero groups, so that :: compression happens
      const full = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16)).join(':');
      const compressed = new URL(`http://[${full}]/`).hostname;
      expect(hex(parseIPv6(full)?.bytes)).toBe(hex(bytes));
      expect(hex(parseIPv6(compressed)?.bytes)).toBe(hex(bytes));
    }));
  });

  it('tries IPv4 notations first and IPv6 only with a colon', () => {
    expect(hex(parseIp('2130706433')?.bytes)).toBe('7f000001');
    expect(hex(parseIp('::ffff:7f00:1')?.bytes)).toBe('00000000000000000000ffff7f000001');
    expect(parseIp('example.org')).toBeNull();
    expect(parseIp('abcd')).toBeNull();
  });
});

describe('IP address classification', () => {
  const table: [string, AddressKind][] = [
    // IPv4 special-purpose ranges, in every notation
    ['0.0.0.0', 'unspecified'], ['0', 'unspecified'], ['0.1.2.3', 'unspecified'], ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'],
    ['2130706433', 'loopback'], ['0177.0.0.1', 'loopback'], ['0x7f.0.0.1', 'loopback'], ['127.1', 'loopback'], ['0x7f000001', 'loopback'],
    ['10.0.0.1', 'private'], ['012.0.0.1', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.0.1', 'private'], ['3232235521', 'private'],
    ['100.64.0.1', 'shared'], ['100.127.255.255', 'shared'], ['169.254.169.254', 'link-local'], ['0xa9fea9fe', 'link-local'],
    ['192.0.0.8', 'reserved'], ['192.0.2.1', 'documentation'], ['198.51.100.7', 'documentation'], ['203.0.113.9', 'documentation'],
    ['198.18.0.1', 'benchmarking'], ['198.19.255.255', 'benchmarking'], ['192.88.99.1', 'reserved'],
    ['224.0.0.1', 'multicast'], ['239.255.255.250', 'multicast'], ['240.0.0.1', 'reserved'], ['255.255.255.255', 'reserved'],
    // IPv4 inside IPv6: mapped (both notations), compatible, NAT64, 6to4
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['[::ffff:7f00:1]', 'loopback'], ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'], ['::ffff:a9fe:a9fe', 'link-local'], ['::ffff:0.0.0.0', 'unspecified'],
    ['::7f00:1', 'loopback'], ['::127.0.0.1', 'loopback'], ['::a00:1', 'private'], ['::8.8.8.8', 'reserved'],
    ['64:ff9b::7f00:1', 'loopback'], ['64:ff9b::127.0.0.1', 'loopback'], ['64:ff9b::a9fe:a9fe', 'link-local'], ['64:ff9b:1::7f00:1', 'reserved'], ['64:ff9b:1::808:808', 'reserved'],
    ['2002:7f00:1::', 'loopback'], ['2002:c0a8:101::1', 'private'], ['2002:a9fe:a9fe::', 'link-local'],
    ['::ffff:0:7f00:1', 'reserved'],
    // IPv6 special-purpose ranges
    ['::', 'unspecified'], ['::1', 'loopback'], ['0:0:0:0:0:0:0:1', 'loopback'], ['fe80::1', 'link-local'], ['febf::1', 'link-local'], ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'site-local'], ['feff::1', 'site-local'], ['fc00::1', 'unique-local'], ['fd12:3456::1', 'unique-local'], ['ff02::1', 'multicast'], ['ff0e::1', 'multicast'],
    ['2001:db8::1', 'documentation'], ['2001:db8:ffff::1', 'documentation'], ['3fff::1', 'documentation'], ['3fff:fff::1', 'documentation'],
    ['2001::1', 'reserved'], ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'], ['2001:2::1', 'benchmarking'], ['2001:10::1', 'reserved'], ['2001:1ff::1', 'reserved'],
    ['100::1', 'reserved'], ['100::', 'reserved'], ['5f00::1', 'reserved'], ['1fff::1', 'reserved'], ['4000::1', 'reserved'], ['fe7f::1', 'reserved'],
    ['2606:4700::1%eth0', 'reserved'],
    // public neighbours of the ranges above
    ['8.8.8.8', 'public'], ['1.1.1.1', 'public'], ['93.184.216.34', 'public'], ['134744072', 'public'], ['172.15.255.255', 'public'], ['172.32.0.0', 'public'],
    ['100.63.255.255', 'public'], ['100.128.0.0', 'public'], ['169.253.255.255', 'public'], ['192.0.1.1', 'public'], ['192.0.3.1', 'public'],
    ['192.169.0.1', 'public'], ['198.17.255.255', 'public'], ['198.20.0.0', 'public'], ['223.255.255.255', 'public'], ['11.0.0.0', 'public'], ['126.255.255.255', 'public'],
    ['2606:4700::1', 'public'], ['2606:4700:4700::1111', 'public'], ['2a00:1450:4001::200e', 'public'], ['2001:200::1', 'public'], ['2001:db7:ffff::1', 'public'],
    ['2001:db9::1', 'public'], ['3fff:1000::1', 'public'], ['3ffe::1', 'public'], ['2000::1', 'public'],
    ['::ffff:8.8.8.8', 'public'], ['::ffff:808:808', 'public'], ['64:ff9b::8.8.8.8', 'public'], ['2002:808:808::1', 'public'],
  ];

  it('names the range of each address, in each notation', () => {
    for (const [text, kind] of table) expect([text, classifyAddress(text)?.kind]).toEqual([text, kind]);
  });

  it('counts only public addresses as public, and anything that is not an address as not public', () => {
    for (const [text, kind] of table) expect([text, isNonPublicAddress(text)]).toEqual([text, kind !== 'public']);
    for (const text of ['localhost', 'example.org', '', '1.2.3.4.5', '::g']) expect([text, isNonPublicAddress(text)]).toEqual([text, true]);
  });

  it('says which IPv4 address it judged in place of an IPv6 one', () => {
    expect(classifyAddress('::ffff:7f00:1')).toEqual({ kind: 'loopback', embedded: { via: 'ipv4-mapped', v4: '127.0.0.1' } });
    expect(classifyAddress('::7f00:1')).toEqual({ kind: 'loopback', embedded: { via: 'ipv4-compatible', v4: '127.0.0.1' } });
    expect(classifyAddress('64:ff9b::a00:1')).toEqual({ kind: 'private', embedded: { via: 'nat64', v4: '10.0.0.1' } });
    expect(classifyAddress('2002:c0a8:101::1')).toEqual({ kind: 'private', embedded: { via: '6to4', v4: '192.168.1.1' } });
    expect(classifyAddress('8.8.8.8')).toEqual({ kind: 'public' });
  });
});
