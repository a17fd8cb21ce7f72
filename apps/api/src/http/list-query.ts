import { BadRequestException } from '@nestjs/common';
import type { Response } from 'express';
import type { ListQueryParams } from '@anchorage/contracts';
import type { ListOrder } from '@anchorage/db';

/** The one list dialect of the API (react-admin's simple REST): sort, range, filter. */
export interface ListQuery {
  skip: number;
  take: number;
  /** The filter's fields that have a value. */
  filter: Partial<Record<string, string>>;
  /** The requested order, checked against the resource's sortable fields; undefined for the default. */
  order?: ListOrder;
}

/**
 * The page, filter and order of `sort=["field","ASC"]&range=[0,24]&filter={"k":"v"}`, whose shapes the
 * edge checked (libs/contracts ROUTE_SCHEMAS, http/validation.ts). `sortable` maps the fields a client
 * may sort by to record fields; another field is a 400 naming the allowed ones. Without sort, lists
 * keep their default order.
 */
export function parseListQuery(q: ListQueryParams, sortable: Record<string, string> = {}, maxTake = 500): ListQuery {
  const [first, last] = q.range ?? [0, 24];
  const skip = first;
  const take = Math.min(last - first + 1, maxTake);
  const filter = q.filter ?? {};
  if (q.sort === undefined) return { skip, take, filter };
  const [field, dir] = q.sort;
  // ids are random UUIDs, so an order by id means nothing: it is the list's default order (what
  // react-admin asks for when a list names no sort)
  if (field === 'id') return { skip, take, filter };
  // own properties only: `toString` or `__proto__` are in every object, not in the allow-list
  if (!Object.hasOwn(sortable, field)) throw new BadRequestException(`cannot sort by ${field}; sort by one of: ${Object.keys(sortable).join(', ') || 'nothing (this list has a fixed order)'}`);
  return { skip, take, filter, order: { field: sortable[field], direction: dir === 'ASC' ? 'asc' : 'desc' } };
}

/** Sets `Content-Range: <resource> first-last/total` as react-admin expects. */
export function setContentRange(res: Response, resource: string, q: ListQuery, count: number, total: number): void {
  const last = count === 0 ? q.skip : q.skip + count - 1;
  res.setHeader('Content-Range', `${resource} ${q.skip}-${last}/${total}`);
  res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
}
