/**
 * The stable public URLs relying servers fetch, keyed by immutable ids and never by display
 * names (UDAP profile: "stable URLs that never depend on a display name").
 */
export class PublicUrls {
  constructor(/** The public base URL (no trailing slash). */ readonly base: string) {}

  /** DER CRL of a CA (CDP of the certificates it issues). */
  crl(caId: string): string {
    return `${this.base}/pki/crl/${caId}.crl`;
  }

  /** DER certificate of a CA (AIA caIssuers of the certificates it issues). */
  caCertificate(caId: string): string {
    return `${this.base}/pki/ca/${caId}.cer`;
  }

  /** PEM trust bundle of a community: anchors, then intermediates. */
  trustBundle(communityId: string): string {
    return `${this.base}/pki/communities/${communityId}/trust-bundle.pem`;
  }

  /** JSON description of a community: URI, policy, anchors and intermediates with fingerprints (docs/directory.md). */
  communityDocument(communityId: string): string {
    return `${this.base}/pki/communities/${communityId}/community.json`;
  }

  /** FHIR R4 searchset Bundle of a community's active members and their endpoints; also the base of its resources' URLs. */
  directory(communityId: string): string {
    return `${this.base}/pki/communities/${communityId}/directory`;
  }

  /**
   * Public status of the community's certifications (udap.org Certifications and Endorsements:
   * certification_status_endpoint); GET ?jti=&exp= answers {"valid": true|false} (docs/certifications.md).
   */
  certificationStatus(communityId: string): string {
    return `${this.base}/pki/communities/${communityId}/certifications/status`;
  }

  /**
   * A community's test kit (docs/test-certificates.md): its JSON index; the TEST anchor, CAs, CRLs and the
   * cases' files are under it. Never a production anchor: nothing else links here.
   */
  testKit(communityId: string): string {
    return `${this.base}/pki/communities/${communityId}/test-kit`;
  }
}
