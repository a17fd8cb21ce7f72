import { PoolWhenBusy } from './pool-when-busy';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('PoolWhenBusy', () => {
  it('runs the first call of a turn on the calling thread, the rest of the burst on the pool, and the next lone call on the thread again', async () => {
    const p = new PoolWhenBusy();
    const where: string[] = [];
    const gates: (() => void)[] = [];
    const call = (k: number) => p.run(
      () => { where.push(`thread ${k}`); return k; },
      () => new Promise<number>((resolve) => { where.push(`pool ${k}`); gates.push(() => resolve(k)); }),
    );
    const burst = [0, 1, 2].map(call);
    expect(where).toEqual(['thread 0', 'pool 1', 'pool 2']);
    expect(p.underWay).toBe(2);
    await nextTurn();
    const during = call(3); // a new turn, but calls are still under way on the pool
    expect(where.at(-1)).toBe('pool 3');
    for (const g of gates.splice(0)) g();
    expect(await Promise.all([...burst, during])).toEqual([0, 1, 2, 3]);
    expect(p.underWay).toBe(0);
    await nextTurn();
    expect(await call(4)).toBe(4);
    expect(where.at(-1)).toBe('thread 4');
  });

  it('passes on what either side throws, and counts a failed call on the pool as finished', async () => {
    const p = new PoolWhenBusy();
    await expect(p.run(() => { throw new Error('on the thread'); }, async () => 0)).rejects.toThrow('on the thread');
    await expect(p.run(() => 0, async () => { throw new Error('on the pool'); })).rejects.toThrow('on the pool');
    expect(p.underWay).toBe(0);
  });

  it('sends work without an on-thread form to the pool, counted, so a small call beside it goes to the pool too', async () => {
    const p = new PoolWhenBusy();
    let release!: () => void;
    const large = p.run(null, () => new Promise<string>((r) => { release = () => r('pool'); }));
    expect(p.underWay).toBe(1);
    await nextTurn();
    const small = p.run(() => 'thread', async () => 'pool');
    release();
    expect(await Promise.all([large, small])).toEqual(['pool', 'pool']);
  });
});
