// What a community's CA key types mean for the relying parties of the UDAP profile sheet
// (design/udap-profile.md, "Who relies on our certificates"): udap-dotnet and Inferno verify EC keys,
// the node-forge based one (the Node UDAP client library) only RSA. A CA's key decides the signatures
// of everything it signs, so one EC CA makes every chain of its community unverifiable there. The
// API derives the warnings on every read; the console shows them as they come.
import type { KeyType } from './profiles';
import type { CaView, CommunityWarning } from './wire';

/** Returns true for an RSA key type, the only kind every relying party of the profile sheet verifies. */
export function isRsaKeyType(k: KeyType): boolean {
  return k.startsWith('RSA-');
}

/**
 * The warnings a community's CAs call for. Retired and compromised CAs sign nothing but CRLs, which
 * node-forge does not check (profile sheet), so only CAs that issue, or will once installed, count.
 */
export function communityWarnings(cas: Pick<CaView, 'role' | 'status' | 'keyType'>[]): CommunityWarning[] {
  const ec = cas.filter((c) => (c.status === 'active' || c.status === 'awaiting-certificate') && !isRsaKeyType(c.keyType));
  if (ec.length === 0) return [];
  const which = ec.map((c) => `${c.role} CA ${c.keyType}`).join(', ');
  return [{
    code: 'ec-ca-rsa-only-relying-parties',
    message:
      `EC CA key (${which}): this community's certificate chains carry ECDSA signatures, which relying parties that verify only RSA ` +
      '(node-forge based, such as the Node UDAP client library) cannot verify: they will reject every certificate this community issues. ' +
      'udap-dotnet and Inferno accept them. Where RSA-only relying parties must be served, use a community with RSA CA keys ' +
      '(policy requireRsaChain enforces it).',
  }];
}
