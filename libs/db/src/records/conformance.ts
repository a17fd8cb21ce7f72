// Conformance monitoring of member servers: endpoints, checks and alerts.
import type { ConformanceStatus, ConformanceTrigger } from '@anchorage/contracts';
import type { DeliveryState } from './notices';

/** A monitored member server and its current state (conformance-store.ts). */
export interface ConformanceEndpointRecord {
  id: string;
  communityId: string;
  organizationId: string;
  baseUrl: string;
  status: ConformanceStatus;
  statusSince: Date | null;
  lastCheckedAt: Date | null;
  lastPassingAt: Date | null;
  lastCheckId: string | null;
  consecutiveFailures: number;
  nextDueAt: Date;
  certificatesGoneAt: Date | null;
  retiredAt: Date | null;
  createdAt: Date;
}

/** One finding of a check, as stored (JSON). */
export interface StoredConformanceFinding {
  code: string;
  severity: 'error' | 'warning';
  section: string;
  message: string;
  claim?: string;
  depth?: number;
}

/** A check to record. */
export interface NewConformanceCheck {
  id: string;
  endpointId: string;
  checkedAt: Date;
  status: 'passing' | 'failing';
  trigger: ConformanceTrigger;
  requestedBy: string;
  findings: StoredConformanceFinding[];
  signerSerial: string | null;
  signerCertificateId: string | null;
  durationMs: number;
  httpStatus: number | null;
}

/** A recorded check. */
export type ConformanceCheckRecord = NewConformanceCheck;

/** An alert of a passing -> failing transition and its delivery. */
export interface ConformanceAlertRecord extends DeliveryState {
  id: string;
  endpointId: string;
  checkId: string;
  organizationId: string;
  communityId: string;
  baseUrl: string;
  codes: string[];
  lastPassingAt: Date | null;
  createdAt: Date;
}

/** What a sync of the monitored set did. */
export interface ConformanceSyncOutcome {
  /** Endpoints newly monitored (or monitored again). */
  added: number;
  /** Endpoints whose last live server certificate went (still checked during the grace period). */
  certificatesGone: number;
  /** Endpoints retired after the grace period. */
  retired: number;
}

/** An endpoint taken for a check by a scan. */
export interface LeasedEndpoint {
  id: string;
  organizationId: string;
}
