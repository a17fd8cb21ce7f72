// Query parameters: as Express hands them on, JSON ones, and the query of a list (filter, range, sort).
import { z } from 'zod';

/** A query parameter as Express hands it on: text, or a list when it was given more than once. */
export const param = () => z.string({ invalid_type_error: 'give this parameter once' });

/** A query parameter that carries JSON (the list dialect's filter, range and sort): parsed, then checked against `schema`. */
export function jsonParam<T extends z.ZodTypeAny>(schema: T, example: string) {
  return param().transform((raw, ctx): unknown => {
    try {
      return JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be JSON, e.g. ${example}` });
      return z.NEVER;
    }
  }).pipe(schema);
}

const FILTER = 'must be a JSON object, e.g. filter={"status":"issued"}';
const RANGE = 'must be [first, last]: whole numbers with 0 <= first <= last, e.g. range=[0,24]';
const SORT = 'must be ["field", "ASC" | "DESC"], e.g. sort=["createdAt","DESC"]';
const index = z.number({ invalid_type_error: RANGE }).int(RANGE).nonnegative(RANGE).max(Number.MAX_SAFE_INTEGER, RANGE);
export const range = z.tuple([index, index], { errorMap: () => ({ message: RANGE }) }).refine(([first, last]) => first <= last, RANGE);
export const sort = z.tuple([
  z.string({ invalid_type_error: SORT }).max(100, SORT),
  z.enum(['ASC', 'DESC'], { errorMap: () => ({ message: SORT }) }),
], { errorMap: () => ({ message: SORT }) });
export const jsonObject = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), FILTER);
/** react-admin sends empty values for cleared inputs: they mean "no filter". */
export const withoutEmpty = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== null && v !== undefined));

/**
 * The query of a list, react-admin's simple REST dialect: `filter` (a JSON object of the list's
 * filter fields, each text), `range` (the page) and `sort`; which fields a list sorts by is the
 * handler's to say (apps/api list-query.ts), since each maps to a field of its records.
 */
export function listQuery(filter: z.ZodObject<Record<string, z.ZodOptional<z.ZodString>>, 'strict'>) {
  const fields = Object.keys(filter.shape);
  return z.object({
    filter: jsonParam(jsonObject.transform(withoutEmpty).pipe(filter), 'filter={"status":"issued"}').optional()
      .describe(fields.length ? `JSON object with any of: ${fields.join(', ')}` : 'this list takes no filter'),
    range: jsonParam(range, 'range=[0,24]').optional().describe('JSON [first, last]: the page, 0-based and inclusive (default [0,24])'),
    sort: jsonParam(sort, 'sort=["createdAt","DESC"]').optional().describe('JSON ["field", "ASC" | "DESC"] (default: the list\'s own order)'),
  }).strict();
}
/** A list's query once the edge checked it: its filter, page and order. */
export type ListQueryParams = z.infer<ReturnType<typeof listQuery>>;
