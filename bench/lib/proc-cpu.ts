// CPU time of processes from /proc (Linux): a server's own, PostgreSQL's, and how busy the machine was,
// read between timed loads so the reading is never part of what is measured.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let tickMs: number | null = null;

/** Milliseconds per clock tick (USER_HZ, from `getconf CLK_TCK`; 100 on Linux). */
function msPerTick(): number {
  if (tickMs === null) {
    let hz = 100;
    try {
      hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      // keep 100
    }
    tickMs = 1000 / hz;
  }
  return tickMs;
}

interface Stat {
  comm: string;
  ppid: number;
  /** utime + stime, ms. */
  cpuMs: number;
  /** cutime + cstime (children already waited for), ms. */
  childrenCpuMs: number;
}

function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone
  }
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const f = text.slice(close + 2).split(' '); // f[0] is the state (field 3 of proc(5))
  const t = msPerTick();
  return {
    comm: text.slice(open + 1, close),
    ppid: Number(f[1]),
    cpuMs: (Number(f[11]) + Number(f[12])) * t,
    childrenCpuMs: (Number(f[13]) + Number(f[14])) * t,
  };
}

/** utime+stime of one process in ms (all its threads), NaN when it is gone. */
export function processCpuMs(pid: number): number {
  return readStat(pid)?.cpuMs ?? Number.NaN;
}

/** utime+stime per pid of the given processes (missing ones left out). */
export function cpuByPid(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const s = readStat(pid);
    if (s) out.set(pid, s.cpuMs);
  }
  return out;
}

/** `pid` and every process below it (children, their children, ...), from each thread's children list. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${out[i]}/task`);
    } catch {
      continue; // gone
    }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${out[i]}/task/${t}/children`, 'utf8').trim().split(/\s+/)) if (c) out.push(Number(c));
      } catch {
        // thread gone
      }
    }
  }
  return out;
}

/** CPU the processes used between two `cpuByPid` readings; a process first seen in `after` counts whole. */
export function cpuDeltaMs(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

/**
 * CPU of every process named `postgres` on the machine (the server's backends and background
 * processes, whatever database they serve), plus what the postmaster's exited children used.
 */
export function allPostgresCpuMs(): number {
  let sum = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = readStat(Number(d));
    if (!s || s.comm !== 'postgres') continue;
    sum += s.cpuMs;
    const parent = readStat(s.ppid);
    if (!parent || parent.comm !== 'postgres') sum += s.childrenCpuMs; // the postmaster
  }
  return sum;
}

/** Machine-wide jiffies from /proc/stat, to tell how busy the cores were during a load. */
export interface MachineTimes {
  idle: number;
  total: number;
}

export function machineTimes(): MachineTimes {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) };
}

/** Share of the machine's cores busy between two readings (0..1). */
export function busyShare(a: MachineTimes, b: MachineTimes): number {
  const total = b.total - a.total;
  return total > 0 ? 1 - (b.idle - a.idle) / total : Number.NaN;
}
