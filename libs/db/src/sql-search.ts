// Lists that Prisma cannot filter (a substring of any element of a text[] column, a serial's hex prefix,
// one search box over several columns): their conditions in SQL with numbered parameters, and a page of
// ids in order with the total. The stores then read the rows by id with Prisma.
import type { SqlRunner } from './pg-transaction';
import type { ListOrder } from './records';

/** WHERE conditions with numbered parameters. */
export class SqlConditions {
  readonly where: string[] = [];

  constructor(readonly params: unknown[] = []) {}

  /**
   * Adds `cond`. With one value, every `?` in `cond` is that value (one parameter); with several, each
   * `?` in turn takes the next one.
   */
  add(cond: string, ...values: unknown[]): this {
    if (values.length === 1) {
      this.params.push(values[0]);
      this.where.push(cond.replaceAll('?', `$${this.params.length}`));
      return this;
    }
    let next = 0;
    this.where.push(cond.replace(/\?/g, () => {
      if (next >= values.length) throw new Error(`more ? than values in "${cond}"`);
      this.params.push(values[next++]);
      return `$${this.params.length}`;
    }));
    if (next !== values.length) throw new Error(`fewer ? than values in "${cond}"`);
    return this;
  }

  /** " WHERE a AND b", or "" without conditions. */
  sql(): string {
    return this.where.length ? ` WHERE ${this.where.join(' AND ')}` : '';
  }
}

/** `s` as a literal LIKE pattern (its %, _ and \ escaped). */
export function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The ILIKE pattern of "contains `s`". */
export function containsPattern(s: string): string {
  return `%${likeLiteral(s)}%`;
}

/**
 * The bytes of the serials whose hex starts with `hex` (case-insensitive, odd lengths too): from `from`
 * (inclusive) up to `to` (exclusive; null: no upper end). bytea compares octet by octet, a prefix first.
 */
export function hexPrefixRange(hex: string): { from: Buffer; to: Buffer | null } {
  if (!/^[0-9a-f]*$/i.test(hex)) throw new Error(`not hexadecimal: ${hex}`);
  const odd = hex.length % 2 === 1;
  const from = Buffer.from(odd ? `${hex}0` : hex, 'hex');
  const top = Buffer.from(odd ? `${hex}f` : hex, 'hex');
  // the smallest byte string above every one that starts with `top`: `top` plus one, carried
  for (let i = top.length - 1; i >= 0; i--) {
    if (top[i] < 0xff) {
      const to = Buffer.from(top.subarray(0, i + 1));
      to[i]++;
      return { from, to };
    }
  }
  return { from, to: null };
}

/** Adds "serial starts with `hex`" on `column` (bytea) to `c`. */
export function addSerialPrefix(c: SqlConditions, column: string, hex: string): void {
  const { from, to } = hexPrefixRange(hex);
  if (to) c.add(`(${column} >= ? AND ${column} < ?)`, from, to);
  else c.add(`${column} >= ?`, from);
}

/** ORDER BY of a list: `order`'s column (one of `columns`) and direction, or `fallback` newest first. */
export function orderColumn(order: ListOrder | undefined, columns: Record<string, string>, fallback: string): string {
  if (!order) return `${fallback} DESC`;
  if (!Object.hasOwn(columns, order.field)) throw new Error(`cannot order by ${order.field}`);
  return `${columns[order.field]} ${order.direction === 'asc' ? 'ASC' : 'DESC'}`;
}

/** A page of ids of `from` (tables and joins) matching `c`, in `orderBy` (then by id), and the total. */
export async function idPage(
  sql: SqlRunner, o: { from: string; id: string; c: SqlConditions; orderBy: string; skip: number; take: number },
): Promise<{ ids: string[]; total: number }> {
  const where = o.c.sql();
  const n = o.c.params.length;
  const [rows, count] = await Promise.all([
    sql.query<{ id: string }>(`SELECT ${o.id} AS id FROM ${o.from}${where} ORDER BY ${o.orderBy}, ${o.id} ASC LIMIT $${n + 1} OFFSET $${n + 2}`, [...o.c.params, o.take, o.skip]),
    sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${o.from}${where}`, o.c.params),
  ]);
  return { ids: rows.map((r) => r.id), total: Number(count[0].n) };
}

/** `rows` in the order of `ids` (rows read back by id come in any order). */
export function inIdOrder<T extends { id: string }>(rows: T[], ids: string[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
