// Path validation of a built chain: a path to an anchor of the community, every certificate within its
// validity at `now`, CA constraints on the issuers, and a leaf fit to sign (RFC 5280 §6.1, §4.2.1.3, §4.2.1.9).
import type { ParsedCertificate } from './certificate';
import type { FindingList } from './findings';
import type { BuiltPath } from './path-builder';
import { chainSection } from './sections';
import type { UdapJwtKind } from './types';

/** 'leaf', 'trust anchor' or 'intermediate', for messages. */
export function levelName(depth: number, path: BuiltPath): string {
  if (depth === 0) return 'leaf';
  if (path.trusted && depth === path.path.length - 1) return 'trust anchor';
  return 'intermediate';
}

function label(c: ParsedCertificate, depth: number, path: BuiltPath): string {
  return `${levelName(depth, path)} "${c.info.subject}"`;
}

/** Records why no path to an anchor of the community exists. */
export function reportPathFailure(built: BuiltPath, kind: UdapJwtKind, f: FindingList): void {
  const failure = built.failure;
  if (!failure) return;
  const depth = built.path.indexOf(failure.at);
  const section = chainSection(kind, '§6.1');
  const who = `"${failure.at.info.subject}"`;
  if (failure.code === 'untrusted-anchor') {
    f.add('untrusted-anchor', section, `the chain ends at the self-signed ${who}, which is not a trust anchor of this community`, { depth });
  } else if (failure.code === 'chain-signature-invalid') {
    f.add('chain-signature-invalid', section, `${who} is not signed by the key of its issuer "${failure.issuer.info.subject}"`, { depth });
  } else {
    f.add('chain-incomplete', section, `no issuer certificate of ${who} (issuer "${failure.at.info.issuer}") chains to a trust anchor of this community`, { depth });
  }
}

/** Validity at `now` of every certificate of the path (the anchor included, as OpenSSL does). */
export function checkValidity(built: BuiltPath, now: Date, kind: UdapJwtKind, f: FindingList): void {
  const section = chainSection(kind, '§6.1.3');
  built.path.forEach((c, depth) => {
    if (c.parts.notBefore.getTime() > now.getTime()) {
      f.add('cert-not-yet-valid', section, `${label(c, depth, built)} is not valid before ${c.parts.notBefore.toISOString()}`, { depth });
    }
    if (c.parts.notAfter.getTime() < now.getTime()) {
      f.add('cert-expired', section, `${label(c, depth, built)} expired at ${c.parts.notAfter.toISOString()}`, { depth });
    }
  });
}

/** basicConstraints, keyUsage and pathLen of the issuers; a leaf that is not a CA and may sign. */
export function checkConstraints(built: BuiltPath, kind: UdapJwtKind, f: FindingList): void {
  built.path.forEach((c, depth) => {
    const who = label(c, depth, built);
    if (depth === 0) {
      if (c.info.isCa) f.add('leaf-is-ca', chainSection(kind, '§4.2.1.9'), `the ${who} is a CA certificate (basicConstraints CA:TRUE)`, { depth });
      if (c.info.keyUsage === null) {
        f.add('leaf-key-usage-missing', chainSection(kind, '§4.2.1.3'), `the ${who} has no keyUsage extension (the UDAP leaf profile requires digitalSignature)`, { depth });
      } else if (!c.info.keyUsage.includes('digitalSignature')) {
        f.add('leaf-key-usage', chainSection(kind, '§4.2.1.3'), `the ${who} keyUsage lacks digitalSignature`, { depth });
      }
      return;
    }
    if (!c.info.isCa) f.add('ca-basic-constraints', chainSection(kind, '§4.2.1.9'), `${who} issues certificates but is not a CA (basicConstraints CA:TRUE missing)`, { depth });
    if (!c.info.keyUsage?.includes('keyCertSign')) {
      f.add('ca-key-usage', chainSection(kind, '§4.2.1.3'), `${who} issues certificates but its keyUsage lacks keyCertSign`, { depth });
    }
    // intermediate CA certificates below this one (the leaf does not count)
    if (c.info.pathLength !== null && depth - 1 > c.info.pathLength) {
      f.add('path-length-exceeded', chainSection(kind, '§4.2.1.9'), `${who} allows ${c.info.pathLength} CA certificate(s) below it, the path has ${depth - 1}`, { depth });
    }
  });
}
