// Leaves for a community's test kit (docs/test-certificates.md): the UDAP leaf template with a named
// extension left out, so relying parties can be shown a certificate they must reject. Only a test key
// signs such a TBS (libs/signer remote/tbs-guard.ts); production issuance never calls this.
import { buildLeafTbs, type LeafTbsParams } from './certificate-templates';
import { PkiError } from './errors';
import { OID } from './oids';
import { buildTbsCertificate } from './tbs-certificate';
import { parseTbsForLint } from './lint-model';
import type { Extension } from './extensions';

/** Which extension a deviant test leaf goes without. */
export type TestLeafOmission = 'subjectAltName' | 'crlDistributionPoints';

const OMITTED_OID: Record<TestLeafOmission, string> = {
  subjectAltName: OID.subjectAltName,
  crlDistributionPoints: OID.crlDistributionPoints,
};

/** A leaf TBS as buildLeafTbs makes it, without the extension `omit` (for a test kit's negative cases only). */
export function buildTestLeafTbs(p: LeafTbsParams, omit: TestLeafOmission): Uint8Array {
  const full = parseTbsForLint(buildLeafTbs(p));
  const extensions: Extension[] = full.extensions
    .filter((e) => e.oid !== OMITTED_OID[omit])
    .map((e) => ({ oid: e.oid, critical: e.critical, value: e.value }));
  if (extensions.length !== full.extensions.length - 1) throw new PkiError('validation', `the leaf template has no ${omit} to leave out`);
  return buildTbsCertificate({ ...p, extensions });
}
