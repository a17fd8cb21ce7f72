// Building blocks of the schemas: ids, text, URIs, blobs, and the body of a route that reads none.
import { z } from 'zod';

/** A UUID (the form of every id the platform hands out). */
export const id = z.string().uuid();
/** Short text: names, reasons, codes. */
export const text = (max = 1000) => z.string().max(max);
/** Text a route cannot do without, refused with `message` when it is missing or not text. */
export const needed = (message: string, max: number) => z.string({ required_error: message, invalid_type_error: message }).max(max);
/** A URI or URL as text (parsed and checked by the authority). */
export const uri = z.string().max(2048);
/** A list of SAN URIs. */
export const uris = z.array(uri).max(200);
/** A PEM or base64 blob (CSRs, certificates). */
export const blob = z.string().max(200_000);
/** No body, or an object whose fields the route does not read. */
export const none = z.union([z.undefined(), z.null(), z.object({}).passthrough()]);
