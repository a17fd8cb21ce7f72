// Communities and their policies.
import type { ExchangePurpose, KeyType } from '@anchorage/contracts';

/** A stored community with its policy. */
export interface CommunityRecord {
  id: string;
  uri: string;
  name: string;
  allowedLeafKeyTypes: KeyType[];
  maxLeafValidityDays: number;
  crlLifetimeSeconds: number;
  allowGeneratedKeys: boolean;
  requireEndpointControl: boolean;
  autoApproveVerified: boolean;
  /** The CAs must have RSA keys (RSA-only relying parties reject EC chains). */
  requireRsaChain: boolean;
  /** The catalog of exchange purposes its client SAN URIs may carry as fragments (empty: no catalog). */
  exchangePurposes: ExchangePurpose[];
  createdAt: Date;
}
