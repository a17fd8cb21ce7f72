import { CoalescedRuns } from './coalesced-runs';

/** A run that waits until released, recording when it started. */
function gatedAction() {
  const started: string[] = [];
  const gates: (() => void)[] = [];
  let fail = false;
  const action = (key: string) => new Promise<void>((resolve, reject) => {
    started.push(key);
    gates.push(() => (fail ? reject(new Error(`run of ${key} failed`)) : resolve()));
  });
  const releaseNext = async () => {
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { action, started, releaseNext, failNext: (f: boolean) => { fail = f; } };
}

describe('CoalescedRuns', () => {
  it('turns a burst of calls during a run into one more run after it, which starts after the last call', async () => {
    const g = gatedAction();
    const runs = new CoalescedRuns(g.action);
    const first = runs.run('c1');
    const burst = Array.from({ length: 50 }, () => runs.run('c1'));
    expect(g.started).toEqual(['c1']);
    await g.releaseNext();
    expect(g.started).toEqual(['c1', 'c1']); // one more, for the whole burst
    const late = runs.run('c1'); // during the second run: a third after it
    await g.releaseNext();
    expect(g.started).toEqual(['c1', 'c1', 'c1']);
    await g.releaseNext();
    await Promise.all([first, ...burst, late]);
    expect(g.started).toHaveLength(3);
    await runs.settled();
  });

  it('runs each key on its own, and a call after a run finished starts a new one', async () => {
    const g = gatedAction();
    const runs = new CoalescedRuns(g.action);
    const a = runs.run('a');
    const b = runs.run('b');
    expect(g.started).toEqual(['a', 'b']);
    await g.releaseNext();
    await g.releaseNext();
    await Promise.all([a, b]);
    const again = runs.run('a');
    expect(g.started).toEqual(['a', 'b', 'a']);
    await g.releaseNext();
    await again;
  });

  it('rejects the calls that shared a failed run, and starts afresh on the next call', async () => {
    const g = gatedAction();
    const runs = new CoalescedRuns(g.action);
    g.failNext(true);
    const first = runs.run('c');
    const shared = runs.run('c');
    const outcomes = Promise.allSettled([first, shared]);
    await g.releaseNext();
    expect((await outcomes).map((o) => o.status)).toEqual(['rejected', 'rejected']);
    await runs.settled();
    g.failNext(false);
    const next = runs.run('c');
    expect(g.started).toEqual(['c', 'c']);
    await g.releaseNext();
    await expect(next).resolves.toBeUndefined();
  });
});
