// Input problems as problem documents list them.
import { z } from 'zod';

/** One problem with a request's input: where, and what. */
export interface InputProblem {
  field: string;
  message: string;
}

/** A field's name as problem documents write it: `body.sanUris[2]`, `query.filter.organizationId`. */
function fieldName(path: (string | number)[]): string {
  return path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? p : `.${p}`)).join('');
}

/** Zod issues as problem-document `errors` entries, one per bad field (each unknown field, or query parameter, on its own). */
export function inputProblems(where: 'body' | 'query', error: z.ZodError): InputProblem[] {
  return error.issues.flatMap((i) => (i.code === z.ZodIssueCode.unrecognized_keys
    ? i.keys.map((k) => ({ field: fieldName([where, ...i.path, k]), message: where === 'query' && i.path.length === 0 ? 'unknown query parameter' : 'unknown field' }))
    : [{ field: fieldName([where, ...i.path]), message: i.message }]));
}
