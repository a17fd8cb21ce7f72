import type { ProblemDocument } from '@anchorage/contracts';

/** True when `body` looks like an RFC 7807 problem document. */
export function isProblem(body: unknown): body is ProblemDocument {
  return typeof body === 'object' && body !== null && typeof (body as ProblemDocument).status === 'number' && typeof (body as ProblemDocument).title === 'string';
}

/** A sentence for people: the problem's detail (or title) and its field errors; never raw JSON. */
export function problemMessage(body: unknown, status: number, statusText: string): string {
  if (!isProblem(body)) return `The server answered ${status}${statusText ? ` ${statusText}` : ''}.`;
  const text = body.detail || body.title;
  const fields = (body.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
  return fields ? `${text} (${fields})` : text;
}
