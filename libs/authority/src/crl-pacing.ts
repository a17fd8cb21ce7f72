// Pacing of CRL generation: a large CRL is background work with a deadline far away (its
// predecessor's nextUpdate), while issuance is what members wait for. A CRL of 100k entries is about a
// third of a second of one core, split between this process and its PostgreSQL backend; on a machine
// that issues at full rate, generating it at full speed takes that core from issuance (measured:
// issuance at 0.67-0.69 of its rate meanwhile on two cores). Lowering this process's priority does not
// help, since most of the work is the backend's. So the generation paces itself: after each step
// (a chunk of entries read, the signature, the store) it measures how busy the rest of the machine
// is, and when others are working it pauses, so that its own work is at most `duty` of the time it
// takes. On a quiet machine it never pauses, so a CRL is as fast as before.
import { readFileSync } from 'node:fs';

/** CPU time used so far, in milliseconds: the whole machine's, this process's, and the CRL's database backend's. */
export interface LoadSample {
  /** Monotonic time of the reading (ms). */
  at: number;
  /** Busy time of every CPU of the machine, summed (idle, I/O wait and steal excluded). */
  machineBusyMs: number;
  /** This process's user and system time. */
  ownMs: number;
  /** The database backend's user and system time when it runs on this machine, else 0. */
  backendMs: number;
}

/** Reads the load; null when the machine's load cannot be read (not Linux), which turns pacing off. */
export type LoadProbe = () => LoadSample | null;

/** Clock ticks per second of /proc (USER_HZ: 100 on every Linux platform Node supports). */
const TICK_MS = 10;

/** The summed busy time of all CPUs from /proc/stat, in ms, or null. */
function machineBusyMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0];
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    if (f.length < 8 || f.some((x) => !Number.isFinite(x))) return null;
    return (f[0] + f[1] + f[2] + f[5] + f[6]) * TICK_MS;
  } catch {
    return null;
  }
}

/** User and system time of a PostgreSQL process on this machine from /proc/<pid>/stat, in ms, or 0 when it is not one. */
function postgresProcessMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const close = stat.lastIndexOf(')');
    // a backend in another PID namespace (a container) would be some other process here: count nothing
    if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) return 0;
    const f = stat.slice(close + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // fields 14 and 15: utime, stime
  } catch {
    return 0;
  }
}

/**
 * The load of this machine from /proc, with `backendPid` (the CRL generation's PostgreSQL backend, from
 * pg_backend_pid()) counted as the generation's own work when it runs here. Elsewhere null: no pacing.
 */
export function procLoadProbe(backendPid: number | null): LoadProbe {
  return () => {
    const busy = machineBusyMs();
    if (busy === null) return null;
    const own = process.cpuUsage();
    return { at: performance.now(), machineBusyMs: busy, ownMs: (own.user + own.system) / 1000, backendMs: backendPid ? postgresProcessMs(backendPid) : 0 };
  };
}

/** How a CRL generation yields the machine (PlatformOptions.crlPacing). */
export interface CrlPacingOptions {
  /** The share of the generation's time it may work while others are busy (0 < duty <= 1; 1 never pauses). Default 1/4. */
  duty?: number;
  /** Others are "busy" when they use at least this many cores on average since the generation began. Default 0.5. */
  busyCores?: number;
}

/** Default share of a generation's time it works while the machine is busy. */
export const CRL_PACING_DUTY = 0.25;
/** Default load of others (cores) from which a generation paces itself. */
export const CRL_PACING_BUSY_CORES = 0.5;
/** A generation that has worked less than this never pauses (small CRLs, and so most revocations, are never slowed down). */
const MIN_WORK_MS = 50;
/** Pauses shorter than this are not taken. */
const MIN_PAUSE_MS = 5;

/**
 * Paces one CRL generation: call `step()` after each piece of work. Once it has worked 50 ms, while the
 * rest of the machine uses at least `busyCores` (averaged since the generation began, its own process
 * and backend left out), it pauses until its working time is at most `duty` of its whole time.
 */
export class CrlPacer {
  private readonly start: LoadSample | null;
  private readonly began: number;
  private paused = 0;
  private readonly duty: number;
  private readonly busyCores: number;

  constructor(
    private readonly probe: LoadProbe,
    options: CrlPacingOptions = {},
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = () => performance.now(),
  ) {
    this.duty = options.duty ?? CRL_PACING_DUTY;
    this.busyCores = options.busyCores ?? CRL_PACING_BUSY_CORES;
    if (!(this.duty > 0 && this.duty <= 1)) throw new Error(`CRL pacing duty must be in (0, 1], got ${this.duty}`);
    this.start = this.duty < 1 ? probe() : null;
    this.began = this.now();
  }

  /** Milliseconds paused so far. */
  get pausedMs(): number {
    return this.paused;
  }

  /** Cores the rest of the machine used on average since the generation began, or null when unknown. */
  othersCores(): number | null {
    if (!this.start) return null;
    const s = this.probe();
    if (!s || s.at <= this.start.at) return null;
    const others = (s.machineBusyMs - this.start.machineBusyMs) - (s.ownMs - this.start.ownMs) - (s.backendMs - this.start.backendMs);
    return Math.max(0, others) / (s.at - this.start.at);
  }

  /** After a piece of work: pauses while others are busy and the generation has worked more than its share. */
  async step(): Promise<void> {
    if (!this.start) return;
    const worked = this.now() - this.began - this.paused;
    if (worked < MIN_WORK_MS) return;
    const others = this.othersCores();
    if (others === null || others < this.busyCores) return;
    const owed = (worked * (1 - this.duty)) / this.duty - this.paused;
    if (owed < MIN_PAUSE_MS) return;
    const t = this.now();
    await this.sleep(owed);
    this.paused += this.now() - t;
  }
}
