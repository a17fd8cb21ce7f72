// Endpoint conformance monitoring (docs/conformance.md): the monitored member servers, their check
// history, and the alerts of a passing -> failing transition.
import { z } from 'zod';
import { timestamp, uuid, view } from './common';

/** An endpoint's state: passing, failing, or unknown before its first check. */
export const CONFORMANCE_STATUSES = ['passing', 'failing', 'unknown'] as const;
/** An endpoint's state. */
export type ConformanceStatus = (typeof CONFORMANCE_STATUSES)[number];
/** What ran a check: the worker's scan, or someone asking for it now. */
export const CONFORMANCE_TRIGGERS = ['schedule', 'on-demand'] as const;
/** What ran a check. */
export type ConformanceTrigger = (typeof CONFORMANCE_TRIGGERS)[number];

/**
 * Codes of the monitor's own findings (beside the outbound failures of @anchorage/contracts outbound.ts,
 * which a failed fetch records under their own code, and the UDAP verifier's codes of libs/udap).
 */
export const CONFORMANCE_FINDINGS = {
  'udap-not-supported': 'The server answered 404 Not Found: it says it supports no UDAP workflow (UDAP STU2 §2.1).',
  'community-not-supported': 'The server answered 204 No Content: it has no metadata for this community (UDAP STU2 §2.4).',
  'metadata-not-json': 'The metadata is not a JSON document.',
  'metadata-not-object': 'The metadata is not a JSON object (UDAP STU2 §2.1).',
  'metadata-content-type': 'The metadata was not served as application/json.',
  'metadata-field-missing': 'A required metadata element is missing (UDAP STU2 §2.2).',
  'metadata-field-invalid': 'A metadata element has a value UDAP STU2 §2.2 does not allow.',
  'signed-metadata-missing': 'The metadata has no signed_metadata JWT (UDAP STU2 §2.3).',
  'signer-not-platform-certificate': 'signed_metadata is not signed with a certificate this platform issued in this community.',
  'signer-other-community': 'signed_metadata is signed with a certificate this platform issued in another community.',
  'signer-other-organization': 'signed_metadata is signed with a certificate of another organization.',
  'signer-wrong-profile': 'signed_metadata is signed with a certificate that is not a udap-server certificate.',
  'signer-not-live': 'signed_metadata is signed with a certificate the platform revoked, put on hold, or that has expired.',
  'signer-expiring': 'The certificate that signs signed_metadata expires within 30 days.',
  'verifier-error': 'The metadata could not be verified (an internal error; the check is retried by the next scan).',
} as const;
/** A code of the monitor's own findings. */
export type ConformanceFindingCode = keyof typeof CONFORMANCE_FINDINGS;

/** One problem a check found: a stable code (the monitor's, an outbound failure, or the UDAP verifier's), its severity and rule. */
export const conformanceFindingSchema = view({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  /** Where the rule comes from, e.g. 'UDAP STU2 §2.2' or 'udap.org Server Metadata §3.2; RFC 5280 §6.3'. */
  section: z.string(),
  message: z.string(),
  /** The metadata element or JWT claim concerned. */
  claim: z.string().optional(),
  /** Position in the certificate chain (0: the certificate in x5c[0]). */
  depth: z.number().int().optional(),
});
/** One problem a check found. */
export type ConformanceFindingView = z.infer<typeof conformanceFindingSchema>;

/** One check of an endpoint. */
export const conformanceCheckViewSchema = view({
  id: uuid,
  endpointId: uuid,
  checkedAt: timestamp,
  status: z.enum(['passing', 'failing']),
  trigger: z.enum(CONFORMANCE_TRIGGERS),
  /** Who asked: `worker` for the scan, else the actor. */
  requestedBy: z.string(),
  findings: z.array(conformanceFindingSchema),
  /** Hex serial of the certificate in x5c[0] of signed_metadata, when there was one. */
  signerSerial: z.string().nullable(),
  /** That certificate, when this platform issued it. */
  signerCertificateId: uuid.nullable(),
  durationMs: z.number().int(),
  /** The HTTP status of the metadata answer (null when no answer came). */
  httpStatus: z.number().int().nullable(),
});
/** One check of an endpoint. */
export type ConformanceCheckView = z.infer<typeof conformanceCheckViewSchema>;

/** A monitored member server (one SAN URI of a live udap-server certificate) and its current state. */
export const conformanceEndpointViewSchema = view({
  id: uuid,
  communityId: uuid,
  organizationId: uuid,
  /** The FHIR base URL: a SAN URI, exactly as certified. */
  baseUrl: z.string(),
  /** Where the monitor fetches the metadata. */
  metadataUrl: z.string(),
  status: z.enum(CONFORMANCE_STATUSES),
  /** Since when it has this status (null before the first check). */
  statusSince: timestamp.nullable(),
  lastCheckedAt: timestamp.nullable(),
  lastPassingAt: timestamp.nullable(),
  consecutiveFailures: z.number().int(),
  nextDueAt: timestamp,
  /** No live udap-server certificate names it since then (it is still checked for a grace period). */
  certificatesGoneAt: timestamp.nullable(),
  /** No longer monitored (no live server certificate for the whole grace period). */
  retiredAt: timestamp.nullable(),
  /** The error codes of the newest check (empty when passing or unknown). */
  errorCodes: z.array(z.string()),
  /** The warning codes of the newest check. */
  warningCodes: z.array(z.string()),
});
/** A monitored member server and its current state. */
export type ConformanceEndpointView = z.infer<typeof conformanceEndpointViewSchema>;

/** An organization's conformance page: each of its endpoints with its newest checks. */
export const organizationConformanceViewSchema = view({
  organizationId: uuid,
  summary: view({ passing: z.number().int(), failing: z.number().int(), unknown: z.number().int() }),
  endpoints: z.array(view({ endpoint: conformanceEndpointViewSchema, history: z.array(conformanceCheckViewSchema) })),
});
/** An organization's conformance page. */
export type OrganizationConformanceView = z.infer<typeof organizationConformanceViewSchema>;

/** What a check run on demand answers: the endpoint's new state and the check. */
export const conformanceCheckResultViewSchema = view({
  endpoint: conformanceEndpointViewSchema,
  check: conformanceCheckViewSchema,
  /** The alert this check raised (a passing endpoint that now fails), else null. */
  alertId: uuid.nullable(),
});
/** What a check run on demand answers. */
export type ConformanceCheckResultView = z.infer<typeof conformanceCheckResultViewSchema>;

/** An alert: an endpoint went from passing to failing; its delivery to the member (e-mail, webhook) and the operators (e-mail). */
export const conformanceAlertViewSchema = view({
  id: uuid,
  endpointId: uuid,
  checkId: uuid,
  organizationId: uuid,
  communityId: uuid,
  baseUrl: z.string(),
  /** The error codes of the failing check. */
  codes: z.array(z.string()),
  lastPassingAt: timestamp.nullable(),
  createdAt: timestamp,
  emailTo: z.array(z.string()),
  emailSentAt: timestamp.nullable(),
  webhookUrl: z.string().nullable(),
  webhookDeliveredAt: timestamp.nullable(),
  webhookAttempts: z.number().int(),
  /** The last delivery error (an outbound failure code for the webhook), null once delivered. */
  lastError: z.string().nullable(),
});
/** An alert and its delivery. */
export type ConformanceAlertView = z.infer<typeof conformanceAlertViewSchema>;
