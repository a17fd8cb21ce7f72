import { BadRequestException } from '@nestjs/common';
import type { Response } from 'express';

/** The one list dialect of the API (react-admin's simple REST): sort, range, filter. */
export interface ListQuery {
  skip: number;
  take: number;
  filter: Record<string, string>;
}

function parseJson(name: string, raw: unknown): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(String(raw));
  } catch {
    throw new BadRequestException(`${name} must be JSON, e.g. range=[0,24]`);
  }
}

/** Parses `range=[0,24]&filter={"k":"v"}` (sort is accepted; lists are newest first). */
export function parseListQuery(q: Record<string, unknown>, maxTake = 500): ListQuery {
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
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== null && v !== '') clean[k] = String(v);
  return { skip, take, filter: clean };
}

/** Sets `Content-Range: <resource> first-last/total` as react-admin expects. */
export function setContentRange(res: Response, resource: string, q: ListQuery, count: number, total: number): void {
  const last = count === 0 ? q.skip : q.skip + count - 1;
  res.setHeader('Content-Range', `${resource} ${q.skip}-${last}/${total}`);
  res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
}
