import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CrlPacer, procLoadProbe, type LoadSample } from './crl-pacing';

/** A machine whose load the test sets: others' cores, and this generation's own (process and backend). */
function fakeMachine() {
  const m = { now: 0, others: 0, own: 0, backend: 0, sample: { at: 0, machineBusyMs: 0, ownMs: 0, backendMs: 0 } as LoadSample, sleeps: [] as number[] };
  /** `ms` pass with the current loads. */
  const pass = (ms: number) => {
    m.now += ms;
    const s = m.sample;
    m.sample = { at: m.now, machineBusyMs: s.machineBusyMs + (m.others + m.own + m.backend) * ms, ownMs: s.ownMs + m.own * ms, backendMs: s.backendMs + m.backend * ms };
  };
  const pacer = (options: ConstructorParameters<typeof CrlPacer>[1] = {}) => new CrlPacer(
    () => ({ ...m.sample }), options,
    async (ms) => { m.sleeps.push(Math.round(ms * 1000) / 1000); pass(ms); },
    () => m.now,
  );
  return { m, pass, pacer };
}

describe('CrlPacer', () => {
  it('pauses until its work is a quarter of its time (the default) while others use the machine', async () => {
    const { m, pass, pacer } = fakeMachine();
    m.others = 1.5;
    m.own = 0.5;
    m.backend = 0.5;
    const p = pacer();
    pass(30);
    await p.step(); // under 50 ms of work: a small CRL never pauses
    expect(m.sleeps).toEqual([]);
    pass(30);
    await p.step();
    expect(m.sleeps).toEqual([180]);
    pass(15);
    await p.step();
    expect(m.sleeps).toEqual([180, 45]);
    expect(p.pausedMs).toBeCloseTo(225);
  });

  it('never pauses on a quiet machine, its own process and backend being busy', async () => {
    const { m, pass, pacer } = fakeMachine();
    m.own = 0.9;
    m.backend = 0.9;
    m.others = 0.2;
    const p = pacer();
    for (let i = 0; i < 5; i++) {
      pass(40);
      await p.step();
    }
    expect(m.sleeps).toEqual([]);
    expect(p.othersCores()).toBeCloseTo(0.2);
  });

  it('follows its duty and busy threshold, and skips pauses under 5 ms', async () => {
    const { m, pass, pacer } = fakeMachine();
    m.others = 0.3;
    const p = pacer({ duty: 0.5, busyCores: 0.25 });
    pass(60);
    await p.step();
    expect(m.sleeps).toEqual([60]);
    pass(4); // owes 4 ms: not worth a pause
    await p.step();
    expect(m.sleeps).toEqual([60]);
    m.others = 0;
    pass(400); // the others stopped: their average falls under the threshold
    await p.step();
    expect(m.sleeps).toEqual([60]);
  });

  it('never reads the load with duty 1 or when it cannot be read', async () => {
    let reads = 0;
    const full = new CrlPacer(() => { reads++; return null; }, { duty: 1 });
    await full.step();
    expect(reads).toBe(0);
    const blind = new CrlPacer(() => { reads++; return null; }, { duty: 0.25, busyCores: 0 }, async () => { throw new Error('must not sleep'); });
    await blind.step();
    expect(blind.pausedMs).toBe(0);
    expect(() => new CrlPacer(() => null, { duty: 0 })).toThrow(/duty/);
    expect(() => new CrlPacer(() => null, { duty: 1.5 })).toThrow(/duty/);
  });
});

const linux = existsSync('/proc/stat') ? describe : describe.skip;
linux('procLoadProbe (Linux /proc)', () => {
  it('counts another process spinning as others\' load, and its own time as its own', async () => {
    const pacer = new CrlPacer(procLoadProbe(null), { duty: 0.5 });
    const spinner = spawn(process.execPath, ['-e', 'const end = Date.now() + 600; while (Date.now() < end);'], { stdio: 'ignore' });
    const exited = new Promise((r) => spinner.once('exit', r));
    await exited;
    // a whole core for 600 ms of the ~600-700 ms since the pacer began (/proc counts in 10 ms ticks)
    expect(pacer.othersCores()!).toBeGreaterThan(0.5);

    const probe = procLoadProbe(null);
    const before = probe()!;
    const end = performance.now() + 200;
    while (performance.now() < end);
    const after = probe()!;
    expect(after.ownMs - before.ownMs).toBeGreaterThan(150);
    expect(after.machineBusyMs - before.machineBusyMs).toBeGreaterThanOrEqual(after.ownMs - before.ownMs - 20);
    expect(after.backendMs).toBe(0);
  });

  it('counts a backend only when the pid is a PostgreSQL process', () => {
    // this test's own pid is a node process, not a PostgreSQL backend: nothing is counted for it
    expect(procLoadProbe(process.pid)()!.backendMs).toBe(0);
  });
});
