/** A SHA-256 fingerprint as `openssl x509 -noout -fingerprint -sha256` prints it: uppercase hex pairs joined by colons. */
export const colonFingerprint = (hex: string): string => (hex.toUpperCase().match(/../g) ?? []).join(':');

/** The community's trust bundle (PEM: anchors, then intermediates), next to its CAs' certificates in the public repository. */
export const trustBundleUrlOf = (ca: { certificateUrl: string; communityId: string }): string =>
  ca.certificateUrl.replace(/\/pki\/ca\/[^/]+\.cer$/, `/pki/communities/${encodeURIComponent(ca.communityId)}/trust-bundle.pem`);
