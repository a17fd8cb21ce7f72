// The stand-in API's answers in the API's dialect: problem documents and react-admin's Content-Range lists.

/** One answer of the stand-in. */
export type Reply = { status: number; body?: unknown; headers?: Record<string, string | string[]>; raw?: Buffer };

/** An RFC 7807 problem document (type from the error code, as the API's filter builds it). */
export const problem = (status: number, title: string, detail: string, code?: string, headers?: Record<string, string>): Reply => ({
  status, headers, body: { type: code ? `https://anchorage.dev/problems/${code}` : 'about:blank', title, status, detail, ...(code ? { code } : {}) },
});

export const forbidden = (role: string) => problem(403, 'Forbidden', `the ${role} role may not do this`, 'forbidden');

/** A page of `all` (range and filter from the query) with its Content-Range. */
export function list<T>(resource: string, all: T[], query: URLSearchParams, keep: (item: T, f: Record<string, string>) => boolean): Reply {
  const [first, last] = JSON.parse(query.get('range') ?? '[0,24]') as [number, number];
  const items = all.filter((i) => keep(i, JSON.parse(query.get('filter') ?? '{}')));
  const page = items.slice(first, last + 1);
  return { status: 200, body: page, headers: { 'Content-Range': `${resource} ${first}-${first + Math.max(page.length - 1, 0)}/${items.length}` } };
}

/** One record by id, or a 404 problem. */
export const one = <T extends { id: string }>(what: string, all: T[], id: string, extra: (t: T) => object = () => ({})): Reply => {
  const hit = all.find((x) => x.id === id);
  return hit ? { status: 200, body: { ...hit, ...extra(hit) } } : problem(404, 'Not Found', `${what} ${id} not found`, 'not-found');
};
