import { GroupCommit, isStatementError, type GroupCommitWriter, type ItemOutcome } from './group-commit';

// The grouping rules on a writer that records what it was asked (the statements themselves are tested
// against PostgreSQL in libs/authority group-commit.integration-spec.ts).
function recordingWriter(opts: { failMany?: unknown } = {}) {
  const calls: { kind: 'one' | 'many'; items: number[] }[] = [];
  let release: (() => void) | null = null;
  const writer: GroupCommitWriter<number, string> = {
    one: async (n) => {
      calls.push({ kind: 'one', items: [n] });
      await new Promise<void>((r) => setImmediate(r));
      if (n < 0) throw Object.assign(new Error(`item ${n} refused`), { code: '23505', severity: 'ERROR' });
      return `one:${n}`;
    },
    many: async (ns) => {
      calls.push({ kind: 'many', items: ns });
      await new Promise<void>((r) => { release = r; setImmediate(r); });
      if (opts.failMany) throw opts.failMany;
      return ns.map((n): ItemOutcome<string> => (n % 10 === 7 ? { error: new Error(`item ${n} not written`) } : { ok: `many:${n}` }));
    },
  };
  return { writer, calls, release: () => release?.() };
}

describe('GroupCommit', () => {
  it('writes a lone item with the single statement, at once', async () => {
    const { writer, calls } = recordingWriter();
    const g = new GroupCommit(writer, { maxInFlight: 1 });
    await expect(g.submit(1)).resolves.toBe('one:1');
    await expect(g.submit(2)).resolves.toBe('one:2');
    expect(calls).toEqual([{ kind: 'one', items: [1] }, { kind: 'one', items: [2] }]);
    expect(g.stats).toEqual({ statements: 2, items: 2, largest: 1, fallbacks: 0 });
  });

  it('groups the items that arrive while a statement is in flight, in order, each with its own outcome', async () => {
    const { writer, calls } = recordingWriter();
    const g = new GroupCommit(writer, { maxInFlight: 1, maxBatch: 4 });
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6, 7, 8].map((n) => g.submit(n)));
    // the first goes alone (nothing was in flight), the rest wait for it and go 4 and 3
    expect(calls).toEqual([{ kind: 'one', items: [1] }, { kind: 'many', items: [2, 3, 4, 5] }, { kind: 'many', items: [6, 7, 8] }]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)))
      .toEqual(['one:1', 'many:2', 'many:3', 'many:4', 'many:5', 'many:6', 'item 7 not written', 'many:8']);
    expect(g.stats).toMatchObject({ statements: 3, items: 8, largest: 4 });
  });

  it('keeps up to maxInFlight statements going', async () => {
    const { writer, calls } = recordingWriter();
    const g = new GroupCommit(writer, { maxInFlight: 2, maxBatch: 32 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => g.submit(n)));
    expect(calls).toEqual([{ kind: 'one', items: [1] }, { kind: 'one', items: [2] }, { kind: 'many', items: [3, 4, 5] }]);
  });

  it('writes each item again on its own when a statement of many fails with a PostgreSQL error', async () => {
    const { writer, calls } = recordingWriter({ failMany: Object.assign(new Error('duplicate key'), { code: '23505', severity: 'ERROR' }) });
    const g = new GroupCommit(writer, { maxInFlight: 1 });
    const results = await Promise.allSettled([1, 2, -3, 4].map((n) => g.submit(n)));
    expect(calls.map((c) => `${c.kind}:${c.items.join(',')}`)).toEqual(['one:1', 'many:2,-3,4', 'one:2', 'one:-3', 'one:4']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['one:1', 'one:2', 'item -3 refused', 'one:4']);
    expect(g.stats.fallbacks).toBe(1);
  });

  it('does not write again after a failure whose outcome is unknown (no SQLSTATE): every item gets it', async () => {
    const lost = new Error('Connection terminated unexpectedly');
    const { writer, calls } = recordingWriter({ failMany: lost });
    const g = new GroupCommit(writer, { maxInFlight: 1 });
    const results = await Promise.allSettled([1, 2, 3].map((n) => g.submit(n)));
    expect(calls.map((c) => c.kind)).toEqual(['one', 'many']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toBe(lost);
    expect(g.stats.fallbacks).toBe(0);
  });

  it('tells an SQLSTATE from other errors', () => {
    expect(isStatementError(Object.assign(new Error('x'), { code: '23505', severity: 'ERROR' }))).toBe(true);
    expect(isStatementError(Object.assign(new Error('x'), { code: '23505' }))).toBe(false);
    expect(isStatementError(Object.assign(new Error('x'), { code: '40P01', severity: 'ERROR' }))).toBe(true);
    expect(isStatementError(Object.assign(new Error('x'), { code: 'EPIPE' }))).toBe(false);
    expect(isStatementError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isStatementError(new Error('x'))).toBe(false);
    expect(isStatementError(null)).toBe(false);
  });
});
