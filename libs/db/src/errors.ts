/** A write that collided with a uniqueness rule of the schema; `constraint` says which. */
export class DbConflictError extends Error {
  constructor(
    public readonly constraint: string,
    message: string,
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DbConflictError';
  }
}

/** True when `err` is PostgreSQL's unique_violation, as raised through pg or Prisma. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string }; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  return e?.code === '23505' || e?.code === 'P2002' || e?.cause?.code === '23505' || e?.meta?.driverAdapterError?.cause?.originalCode === '23505';
}
