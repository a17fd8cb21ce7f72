// PKCS #10 certification requests (RFC 2986) built in the browser with pkijs: subject CN, the
// member's SAN URIs in an extensionRequest attribute (PKCS #9, RFC 2985 §5.4.2), signed with the
// private key that never leaves the browser.
import type { KeyType } from '@anchorage/contracts';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { toPem } from './bytes';
import { cryptoEngine } from './engine';
import { signatureHash } from './keys';

const OID_COMMON_NAME = '2.5.4.3';
const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const OID_SUBJECT_ALT_NAME = '2.5.29.17';
/** GeneralName CHOICE tag of uniformResourceIdentifier (RFC 5280 §4.2.1.6). */
const URI_NAME = 6;

/** What goes into the request. */
export interface CsrParams {
  keys: CryptoKeyPair;
  keyType: KeyType;
  /** SAN URIs (at least one); the CA decides the certificate's subject itself. */
  sanUris: string[];
  commonName: string;
}

/** A signed request: DER and PEM. */
export interface BuiltCsr {
  der: ArrayBuffer;
  pem: string;
}

/** Builds and signs the CSR. */
export async function buildCsr(p: CsrParams): Promise<BuiltCsr> {
  if (p.sanUris.length === 0) throw new Error('Choose at least one SAN URI for the request.');
  const engine = cryptoEngine();
  const csr = new pkijs.CertificationRequest();
  csr.version = 0;
  csr.subject.typesAndValues.push(new pkijs.AttributeTypeAndValue({
    type: OID_COMMON_NAME,
    value: new asn1js.Utf8String({ value: p.commonName.slice(0, 64) || 'UDAP client' }),
  }));
  await csr.subjectPublicKeyInfo.importKey(p.keys.publicKey, engine);
  const san = new pkijs.GeneralNames({ names: p.sanUris.map((value) => new pkijs.GeneralName({ type: URI_NAME, value })) });
  const extensions = new pkijs.Extensions({
    extensions: [new pkijs.Extension({ extnID: OID_SUBJECT_ALT_NAME, critical: false, extnValue: san.toSchema().toBER(false) })],
  });
  csr.attributes = [new pkijs.Attribute({ type: OID_EXTENSION_REQUEST, values: [extensions.toSchema()] })];
  await csr.sign(p.keys.privateKey, signatureHash(p.keyType), engine);
  const der = csr.toSchema(true).toBER(false);
  return { der, pem: toPem(der, 'CERTIFICATE REQUEST') };
}
