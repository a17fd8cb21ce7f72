// PKCS #12 (RFC 7292) files opened the way relying parties open them: OpenSSL, Java's keytool and
// node-forge (the parser of the Node UDAP library), plus a walk of the DER itself. Each check returns
// the problems it found, so one assertion shows every reader's complaint at once.
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as forge from 'node-forge';
import { openssl, opensslCsr, opensslRoot, tempDir } from './openssl';

/** What a PKCS #12 file must hold. */
export interface Pkcs12Expectation {
  password: string;
  /** The certificate of the private key; the first certificate in the file. */
  leafDer: Uint8Array;
  /** The CA certificates after the leaf, in file order (issuing CA first). */
  chainDers: Uint8Array[];
  /** friendlyName the key and leaf bags must carry, when the builder was given one. */
  friendlyName?: string;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
};

/** X.690 §10.2: DER never uses the constructed form for BIT STRING, OCTET STRING or the character strings. */
const STRING_TAGS = new Map<number, string>([
  [3, 'BIT STRING'], [4, 'OCTET STRING'], [12, 'UTF8String'], [18, 'NumericString'], [19, 'PrintableString'], [20, 'T61String'],
  [22, 'IA5String'], [26, 'VisibleString'], [28, 'UniversalString'], [30, 'BMPString'],
]);

interface Tlv {
  tag: number;
  value: Uint8Array;
  children: Tlv[];
}

class DerStop extends Error {}

/** Parses `bytes` as a sequence of DER TLVs, noting every DER violation (X.690 §10) in `problems`. */
function parseAll(bytes: Uint8Array, where: string, problems: string[]): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < bytes.length) {
    const at = `${where}@${i}`;
    const tag = bytes[i];
    if ((tag & 0x1f) === 0x1f) throw new DerStop(`${at}: high tag number form, not used by PKCS #12`);
    if (i + 1 >= bytes.length) throw new DerStop(`${at}: truncated header`);
    let len = bytes[i + 1];
    let header = 2;
    if (len === 0x80) throw new DerStop(`${at}: indefinite length (X.690 §10.1 requires the definite form)`);
    if (len > 0x80) {
      const n = len & 0x7f;
      if (n > 4 || i + 2 + n > bytes.length) throw new DerStop(`${at}: bad length of length ${n}`);
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + bytes[i + 2 + k];
      if (bytes[i + 2] === 0 || len < 0x80) problems.push(`${at}: length ${len} not in the fewest octets (X.690 §10.1)`);
      header = 2 + n;
    }
    if (i + header + len > bytes.length) throw new DerStop(`${at}: length ${len} runs past the end`);
    const value = bytes.subarray(i + header, i + header + len);
    const constructed = (tag & 0x20) !== 0;
    if (constructed && (tag & 0xc0) === 0 && STRING_TAGS.has(tag & 0x1f)) {
      problems.push(`${at}: constructed ${STRING_TAGS.get(tag & 0x1f)} (tag 0x${tag.toString(16)}); DER requires the primitive form (X.690 §10.2)`);
    }
    out.push({ tag, value, children: constructed ? parseAll(value, `${at}/`, problems) : [] });
    i += header + len;
  }
  return out;
}

function parseOne(bytes: Uint8Array, where: string, problems: string[]): Tlv {
  const all = parseAll(bytes, where, problems);
  if (all.length !== 1) throw new DerStop(`${where}: ${all.length} elements where one was expected`);
  return all[0];
}

function child(t: Tlv, n: number, where: string): Tlv {
  const c = t.children[n];
  if (!c) throw new DerStop(`${where}: element ${n} missing`);
  return c;
}

function oidOf(t: Tlv): string {
  if (t.tag !== 0x06) throw new DerStop(`tag 0x${t.tag.toString(16)} where an OBJECT IDENTIFIER was expected`);
  const arcs: number[] = [];
  let v = 0;
  for (const b of t.value) {
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

/**
 * DER problems of a PFX: any constructed string, indefinite or non-minimal length anywhere, and the
 * fields RFC 7292 types as OCTET STRING (authSafe content, SafeContents, certValue, encryptedData,
 * MAC digest and salt) not written as primitive OCTET STRINGs; EncryptedContentInfo's encryptedContent
 * must be the primitive [0] IMPLICIT (0x80). Descends into the OCTET STRINGs that carry DER, and no
 * further than the PFX structure says, so ciphertext is never read as DER. Empty when all is DER.
 */
export function pfxDerProblems(pfx: Uint8Array): string[] {
  const problems: string[] = [];
  const octets = (t: Tlv, where: string): Uint8Array | null => {
    if (t.tag === 0x04) return t.value;
    problems.push(`${where}: tag 0x${t.tag.toString(16)} where a primitive OCTET STRING (0x04) was expected`);
    return null;
  };
  const safeContents = (bytes: Uint8Array, where: string) => {
    parseOne(bytes, where, problems).children.forEach((bag, i) => {
      const at = `${where}.SafeBag[${i}]`;
      const value = child(child(bag, 1, at), 0, `${at}.bagValue`);
      const type = oidOf(child(bag, 0, at));
      if (type === OID.certBag) {
        const cert = octets(child(child(value, 1, `${at}.CertBag`), 0, `${at}.certValue`), `${at}.certValue`);
        if (cert) parseOne(cert, `${at}.certificate`, problems);
      } else if (type === OID.pkcs8ShroudedKeyBag) {
        octets(child(value, 1, `${at}.EncryptedPrivateKeyInfo`), `${at}.EncryptedPrivateKeyInfo.encryptedData`);
      }
    });
  };
  try {
    const root = parseOne(pfx, 'PFX', problems);
    const authSafe = octets(child(child(child(root, 1, 'PFX'), 1, 'PFX.authSafe'), 0, 'PFX.authSafe.content'), 'PFX.authSafe.content');
    if (authSafe) {
      parseOne(authSafe, 'AuthenticatedSafe', problems).children.forEach((ci, i) => {
        const at = `AuthenticatedSafe[${i}]`;
        const content = child(child(ci, 1, at), 0, `${at}.content`);
        const type = oidOf(child(ci, 0, at));
        if (type === OID.data) {
          const bytes = octets(content, `${at}.content`);
          if (bytes) safeContents(bytes, `${at}.SafeContents`);
        } else if (type === OID.encryptedData) {
          const encrypted = child(child(content, 1, `${at}.EncryptedData`), 2, `${at}.EncryptedContentInfo`);
          if (encrypted.tag !== 0x80) {
            problems.push(`${at}.EncryptedContentInfo.encryptedContent: tag 0x${encrypted.tag.toString(16)}, not the primitive [0] IMPLICIT OCTET STRING (0x80)`);
          }
        } else {
          problems.push(`${at}: content type ${type} is neither data nor encryptedData`);
        }
      });
    }
    const mac = child(root, 2, 'PFX.macData');
    octets(child(child(mac, 0, 'MacData.mac'), 1, 'MacData.mac.digest'), 'MacData.mac.digest');
    octets(child(mac, 1, 'MacData.macSalt'), 'MacData.macSalt');
  } catch (e) {
    problems.push(e instanceof DerStop ? e.message : `walk failed: ${(e as Error).message}`);
  }
  return problems;
}

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');
const spkiHex = (certDer: Uint8Array) => hexOf(new X509Certificate(certDer).publicKey.export({ type: 'spki', format: 'der' }));
const pemBlocks = (text: string, label: string) =>
  [...text.matchAll(new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g'))].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));

let files = 0;
let scratchDir: string | null = null;
/** A new file path in this module's own temporary directory, made on first use. */
const scratch = (name: string) => join((scratchDir ??= tempDir('anchorage-p12-check-')), `${++files}-${name}`);

/** Problems OpenSSL finds: opening with the password (MAC checked), the key matching the leaf, certificates in order, the wrong password refused. */
export function opensslPkcs12Problems(p12: Uint8Array, e: Pkcs12Expectation): string[] {
  const problems: string[] = [];
  const path = scratch('openssl.p12');
  writeFileSync(path, p12);
  const r = openssl(['pkcs12', '-in', path, '-passin', `pass:${e.password}`, '-nodes', '-info']);
  if (r.status !== 0) return [`openssl pkcs12 failed (${r.status}): ${r.stderr.trim()}`];
  if (!/^MAC: /m.test(r.stderr) || /MAC is absent/.test(r.stderr)) problems.push(`no MAC to verify: ${r.stderr.trim()}`);
  const keys = pemBlocks(r.stdout, 'PRIVATE KEY');
  if (keys.length !== 1) problems.push(`${keys.length} private keys, expected 1`);
  else if (hexOf(createPublicKey(createPrivateKey({ key: keys[0], format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' })) !== spkiHex(e.leafDer)) {
    problems.push("the private key is not the leaf certificate's key");
  }
  const certs = pemBlocks(r.stdout, 'CERTIFICATE').map(hexOf);
  const expected = [e.leafDer, ...e.chainDers].map(hexOf);
  if (certs.join() !== expected.join()) problems.push(`certificates are not leaf then chain in order (${certs.length} found, ${expected.length} expected)`);
  const wrong = openssl(['pkcs12', '-in', path, '-passin', `pass:not ${e.password}`, '-nodes']);
  if (wrong.status === 0 || !/mac verify error/i.test(wrong.stderr)) problems.push(`a wrong password did not fail the MAC check: ${wrong.stderr.trim()}`);
  return problems;
}

const fingerprint = (der: Uint8Array) => createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');

/** Problems `keytool -list -v` (Java's PKCS12 KeyStore) finds: one PrivateKeyEntry whose chain is leaf then the CAs, and the wrong password refused. */
export function keytoolPkcs12Problems(p12: Uint8Array, e: Pkcs12Expectation): string[] {
  const path = scratch('keytool.p12');
  writeFileSync(path, p12);
  const keytool = (password: string) => {
    // English messages whatever the machine's locale, so the output parses
    const r = spawnSync('keytool', ['-J-Duser.language=en', '-J-Duser.country=US', '-list', '-v', '-keystore', path, '-storetype', 'PKCS12', '-storepass', password], { encoding: 'utf8' });
    if (r.error) throw r.error;
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  };
  const r = keytool(e.password);
  if (r.status !== 0) return [`keytool -list failed (${r.status}): ${r.output.trim()}`];
  const problems: string[] = [];
  const entries = /Your keystore contains (\d+) entr/.exec(r.output)?.[1];
  if (entries !== '1') problems.push(`${entries ?? 'unknown'} keystore entries, expected 1`);
  if (!/Entry type: PrivateKeyEntry/.test(r.output)) problems.push('no PrivateKeyEntry');
  const length = Number(/Certificate chain length: (\d+)/.exec(r.output)?.[1]);
  if (length !== 1 + e.chainDers.length) problems.push(`certificate chain length ${length}, expected ${1 + e.chainDers.length}`);
  const prints = [...r.output.matchAll(/SHA256: ([0-9A-F:]{95})/g)].map((m) => m[1]);
  if (prints.join() !== [e.leafDer, ...e.chainDers].map(fingerprint).join()) problems.push('the chain is not leaf then the CAs in order');
  const wrong = keytool(`not ${e.password}`);
  // "password was incorrect" when encrypted certificates fail to decrypt first, "Integrity check failed" from the MAC
  if (wrong.status === 0 || !/password was incorrect|Integrity check failed/.test(wrong.output)) problems.push(`a wrong password was not refused: ${wrong.output.trim().split('\n')[0]}`);
  return problems;
}

const forgeBytes = (b: Uint8Array) => forge.util.createBuffer(Buffer.from(b).toString('binary'));
const fromForge = (asn1: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
const tbsHex = (certDer: Uint8Array) => hexOf(fromForge(forge.asn1.fromDer(forgeBytes(certDer), true).value[0] as forge.asn1.Asn1));

/**
 * Problems node-forge 1.3.1 finds, parsing as the Node UDAP library does (`pkcs12FromAsn1`, strict
 * DER): the MAC must be checked (forge skips a MacData it cannot match, so a wrong password must fail
 * on the MAC), one pkcs8ShroudedKeyBag that decrypts to the leaf's key (an RSA key object for RSA;
 * forge makes none for EC, so the decrypted PrivateKeyInfo is checked), cert bags leaf first then
 * the chain, and localKeyId (and friendlyName) pairing the key and leaf bags.
 */
export function forgePkcs12Problems(p12: Uint8Array, e: Pkcs12Expectation): string[] {
  const open = (password: string) => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forgeBytes(p12), true), true, password);
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = open(e.password);
  } catch (err) {
    return [`pkcs12FromAsn1 failed: ${(err as Error).message}`];
  }
  const problems: string[] = [];
  try {
    open(`not ${e.password}`);
    problems.push('a wrong password opened the file: the MAC was not checked');
  } catch (err) {
    if (!/MAC could not be verified/.test((err as Error).message)) problems.push(`a wrong password failed elsewhere than the MAC, so the MAC was not checked: ${(err as Error).message}`);
  }
  const keyBags = pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? [];
  const certBags = pfx.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  if (keyBags.length !== 1) return [...problems, `${keyBags.length} pkcs8ShroudedKeyBags, expected 1`];
  const [keyBag] = keyBags;
  const leafIsRsa = new X509Certificate(e.leafDer).publicKey.asymmetricKeyType === 'rsa';
  let pkcs8: Buffer | null = null;
  if (keyBag.key) {
    pkcs8 = fromForge(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key)));
    // forge parses no certificate signed with ECDSA (an RSA leaf under an EC CA); the DER comparison below still holds
    const leafKey = certBags[0]?.cert?.publicKey as forge.pki.rsa.PublicKey | undefined;
    if (leafKey && (leafKey.n.compareTo(keyBag.key.n) !== 0 || leafKey.e.compareTo(keyBag.key.e) !== 0)) problems.push("forge's RSA key does not match forge's leaf certificate");
  } else if (leafIsRsa) {
    problems.push('forge made no RSA key object of the key bag');
  } else if (keyBag.asn1) {
    pkcs8 = fromForge(keyBag.asn1);
  }
  if (!pkcs8) problems.push('the key bag did not decrypt to a PrivateKeyInfo');
  else if (hexOf(createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' })) !== spkiHex(e.leafDer)) {
    problems.push("the decrypted key is not the leaf certificate's key");
  }
  const tbs = certBags.map((b) => hexOf(fromForge(b.cert ? b.cert.tbsCertificate : (b.asn1.value as forge.asn1.Asn1[])[0])));
  if (tbs.join() !== [e.leafDer, ...e.chainDers].map(tbsHex).join()) problems.push(`cert bags are not leaf then chain in order (${certBags.length} found, ${1 + e.chainDers.length} expected)`);
  const attr = (bag: forge.pkcs12.Bag | undefined, name: string): string | undefined => bag?.attributes?.[name]?.[0];
  const keyId = attr(keyBag, 'localKeyId');
  if (!keyId || keyId !== attr(certBags[0], 'localKeyId')) problems.push('localKeyId does not pair the key bag with the leaf bag');
  if (certBags.slice(1).some((b) => attr(b, 'localKeyId'))) problems.push('a CA cert bag carries a localKeyId');
  if (e.friendlyName && (attr(keyBag, 'friendlyName') !== e.friendlyName || attr(certBags[0], 'friendlyName') !== e.friendlyName)) {
    problems.push(`friendlyName is not ${e.friendlyName} on the key and leaf bags`);
  }
  return problems;
}

/** Every problem the DER walk, OpenSSL, keytool and node-forge find, each prefixed with its reader; empty when all four accept the file. */
export function pkcs12Problems(p12: Uint8Array, e: Pkcs12Expectation): string[] {
  const tag = (reader: string, list: string[]) => list.map((p) => `${reader}: ${p}`);
  return [
    ...tag('DER', pfxDerProblems(p12)),
    ...tag('openssl', opensslPkcs12Problems(p12, e)),
    ...tag('keytool', keytoolPkcs12Problems(p12, e)),
    ...tag('node-forge', forgePkcs12Problems(p12, e)),
  ];
}

/** A leaf, its issuing CA and root made by OpenSSL (the leaf key in PKCS #8 DER unless the caller brought its own CSR). */
export interface OpensslLeafChain {
  leafDer: Uint8Array;
  /** Absent when the leaf was signed from the caller's CSR. */
  leafKeyPkcs8Der?: Uint8Array;
  /** Issuing CA, then root. */
  chainDers: Uint8Array[];
}

/** Root and issuing CA played by OpenSSL signing a leaf: for `csrPem`, or for a fresh RSA-2048 or EC P-256 key. */
export function opensslLeafChain(dir: string, o: { csrPem?: string; keyType?: 'RSA' | 'EC' } = {}): OpensslLeafChain {
  const der = (pem: string) => new Uint8Array(pemBlocks(pem, 'CERTIFICATE')[0]);
  const root = opensslRoot(dir);
  const issuingKey = opensslCsr(dir, { cn: 'PKCS12 Test Issuing CA' });
  const issuingPem = root.sign(issuingKey.csrPem);
  const leafKey = o.csrPem ? null : opensslCsr(dir, { ...(o.keyType === 'EC' ? { curve: 'P-256' as const } : {}), cn: 'pkcs12 leaf', sans: ['https://p12.example.org/fhir'] });
  const n = randomBytes(4).toString('hex');
  const [csr, issuing, ext, out] = ['csr.pem', 'issuing.pem', 'ext.cnf', 'leaf.pem'].map((f) => join(dir, `leaf-${n}-${f}`));
  writeFileSync(csr, o.csrPem ?? leafKey!.csrPem);
  writeFileSync(issuing, issuingPem);
  writeFileSync(ext, '[ext]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n');
  const r = openssl(['x509', '-req', '-in', csr, '-CA', issuing, '-CAkey', issuingKey.keyPath, '-set_serial', `0x${randomBytes(15).toString('hex')}`, '-days', '30',
    '-extfile', ext, '-extensions', 'ext', '-out', out]);
  if (r.status !== 0) throw new Error(`openssl x509 -req failed: ${r.stderr}`);
  return {
    leafDer: der(readFileSync(out, 'utf8')),
    chainDers: [der(issuingPem), der(root.certPem)],
    // genpkey writes PKCS #8 ("PRIVATE KEY", RFC 7468 §10)
    ...(leafKey ? { leafKeyPkcs8Der: new Uint8Array(pemBlocks(leafKey.keyPem, 'PRIVATE KEY')[0]) } : {}),
  };
}
