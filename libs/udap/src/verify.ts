// verifyUdapJwt: validates a UDAP JWT the way relying parties do (JWS, certificate path to the community's
// anchors, revocation at every level, claims of its kind) and reports every problem as a finding.
import { checkConstraints, checkValidity, reportPathFailure } from './chain-checks';
import { checkAuthenticationToken } from './claim-rules/authentication-token';
import { checkCertification } from './claim-rules/certification';
import { checkCommonClaims } from './claim-rules/common';
import type { ClaimContext } from './claim-rules/context';
import { checkSignedMetadata } from './claim-rules/signed-metadata';
import { checkSoftwareStatement } from './claim-rules/software-statement';
import { FindingList } from './findings';
import { checkJws } from './jws';
import { buildPath } from './path-builder';
import { checkRevocation } from './revocation';
import { KIND_SECTIONS } from './sections';
import type { UdapJwtKind, UdapTrust, UdapVerification, VerifyOptions } from './types';

const KIND_RULES: Readonly<Record<UdapJwtKind, (ctx: ClaimContext) => void>> = {
  'software-statement': checkSoftwareStatement,
  'signed-metadata': checkSignedMetadata,
  'authentication-token': checkAuthenticationToken,
  certification: checkCertification,
};

/**
 * Verifies a UDAP JWT of the given kind against a trust community at `opts.now`. Never throws for a bad
 * JWT: every problem is a finding, and checks continue where the earlier ones leave something to check.
 * Revocation is checked only on a path that reaches an anchor (a CRL needs a trusted issuer key).
 */
export async function verifyUdapJwt(jwt: string, trust: UdapTrust, opts: VerifyOptions): Promise<UdapVerification> {
  const f = new FindingList();
  const { kind, now } = opts;
  const jws = await checkJws(jwt, kind, f);
  let chain: Uint8Array[] | undefined;
  if (jws.leaf) {
    const built = await buildPath(jws.leaf, jws.extra, trust.anchors, trust.intermediates);
    reportPathFailure(built, kind, f);
    checkValidity(built, now, kind, f);
    checkConstraints(built, kind, f);
    await checkRevocation(built, trust, now, kind, f);
    if (built.trusted) chain = built.path.map((c) => c.der);
  }
  if (jws.claims) {
    const ctx: ClaimContext = { kind, claims: jws.claims, now, expected: opts.expected ?? {}, leaf: jws.leaf, sections: KIND_SECTIONS[kind], f };
    checkCommonClaims(ctx);
    KIND_RULES[kind](ctx);
  }
  return { valid: !f.hasErrors(), findings: f.items, header: jws.header, claims: jws.claims, chain };
}
