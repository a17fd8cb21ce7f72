// Errors as people read them: every failed API call is an HttpError whose message is the problem
// document's detail (see http.ts); forms also read the problem's per-field `errors`.
import type { ProblemDocument } from '@anchorage/contracts';
import { HttpError } from 'react-admin';
import { isProblem } from './problem';

/** A field error of a problem document. */
export interface FieldError {
  field: string;
  message: string;
}

/** The sentence to show for `err`. */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The problem document behind `err`, if the API sent one. */
export const problemOf = (err: unknown): ProblemDocument | null => (err instanceof HttpError && isProblem(err.body) ? err.body : null);

/**
 * The problem's per-field errors (empty when it has none), each field named as the form names it: the
 * API's request checks name a body field `body.<field>`, the authority's checks `<field>`.
 */
export const fieldErrorsOf = (err: unknown): FieldError[] => (problemOf(err)?.errors ?? []).map((e) => ({ ...e, field: e.field.replace(/^body\./, '') }));

/** The problem's detail alone (without the field list problemMessage appends), or the error's message. */
export const detailOf = (err: unknown): string => {
  const p = problemOf(err);
  return p ? p.detail || p.title : errorText(err);
};
