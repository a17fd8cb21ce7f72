// Building blocks of the response views: the formats every view uses, in one place.
import { z } from 'zod';
import { ENDPOINT_CHECK_FAILURES, type EndpointCheckFailure } from '../outbound';
import { KEY_TYPES, LEAF_PROFILES } from '../profiles';
import { RevocationReason, type RevocationReasonName } from '../revocation';

/** An id the platform hands out (a UUID). */
export const uuid = z.string().uuid();
/** A point in time as ISO 8601 text (as Date.toISOString writes it). */
export const timestamp = z.string().datetime({ offset: true });
/** A key type name. */
export const keyTypeSchema = z.enum(KEY_TYPES);
/** A leaf certificate profile name. */
export const leafProfileSchema = z.enum(LEAF_PROFILES);
/** An RFC 5280 revocation reason name. */
export const revocationReasonSchema = z.enum(Object.keys(RevocationReason) as [RevocationReasonName, ...RevocationReasonName[]]);
/** Why an endpoint check failed. */
export const endpointCheckFailureSchema = z.enum(Object.keys(ENDPOINT_CHECK_FAILURES) as [EndpointCheckFailure, ...EndpointCheckFailure[]]);

/**
 * An object the API answers with: a field the schema does not name fails the response check (a view
 * that starts to carry a record's internals is caught, never passed on silently).
 */
export const view = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();
