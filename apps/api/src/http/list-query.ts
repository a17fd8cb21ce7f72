import { BadRequestException } from '@nestjs/common';
import type { Response } from 'express';
import type { ListOrder } from '@anchorage/db';

/** The one list dialect of the API (react-admin's simple REST): sort, range, filter. */
export interface ListQuery {
  skip: number;
  take: number;
  filter: Record<string, string>;
  /** The requested order, checked against the resource's sortable fields; undefined for the default. */
  order?: ListOrder;
}

function parseJson(name: string, raw: unknown): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(String(raw));
  } catch {
    throw new BadRequestException(`${name} must be JSON, e.g. range=[0,24]`);
  }
}

/**
 * Parses `sort=["field","ASC"]&range=[0,24]&filter={"k":"v"}`. `sortable` maps the fields a client may sort
 * by to record fields; another field is a 400 naming the allowed ones. Without sort, lists keep their default order.
 */
export function parseListQuery(q: Record<string, unknown>, sortable: Record<string, string> = {}, maxTake = 500): ListQuery {
  const range = parseJson('range', q.range) as unknown;
  let skip = 0;
  let take = 25;
  if (range !== undefined) {
    if (!Array.isArray(range) || range.length !== 2 || !range.every((n) => Number.isInteger(n) && n >= 0) || range[1] < range[0]) {
      throw new BadRequestException('range must be [first, last] with 0 <= first <= last');
    }
    skip = range[0];
    take = Math.min(range[1] - range[0] + 1, maxTake);
  }
  const filter = (parseJson('filter', q.filter) ?? {}) as Record<string, unknown>;
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) throw new BadRequestException('filter must be a JSON object');
  const clean: Record<string, string> = {};
  // each field's value was checked against the route's filter schema at the edge (http/validation.ts)
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== null && v !== '') clean[k] = String(v);
  let order: ListOrder | undefined;
  const sort = parseJson('sort', q.sort);
  if (sort !== undefined) {
    const [field, dir] = Array.isArray(sort) ? sort : [];
    if (typeof field !== 'string' || (dir !== 'ASC' && dir !== 'DESC')) throw new BadRequestException('sort must be ["field", "ASC" | "DESC"]');
    // ids are random UUIDs, so an order by id means nothing: it is the list's default order (what
    // react-admin asks for when a list names no sort)
    if (field === 'id') return { skip, take, filter: clean };
    // own properties only: `toString` or `__proto__` are in every object, not in the allow-list
    if (!Object.hasOwn(sortable, field)) throw new BadRequestException(`cannot sort by ${field}; sort by one of: ${Object.keys(sortable).join(', ') || 'nothing (this list has a fixed order)'}`);
    order = { field: sortable[field], direction: dir === 'ASC' ? 'asc' : 'desc' };
  }
  return { skip, take, filter: clean, order };
}

/** Sets `Content-Range: <resource> first-last/total` as react-admin expects. */
export function setContentRange(res: Response, resource: string, q: ListQuery, count: number, total: number): void {
  const last = count === 0 ? q.skip : q.skip + count - 1;
  res.setHeader('Content-Range', `${resource} ${q.skip}-${last}/${total}`);
  res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
}
