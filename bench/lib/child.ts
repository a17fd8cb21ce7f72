// Runs one measurement in a child node process (clean heap, its own peak RSS) and returns its JSON.
import { spawn } from 'node:child_process';
import { tsNodeArgs } from './env';

const MARK = '@@BENCH_RESULT@@ ';

/** Runs `file` (TypeScript) with `input` as JSON in BENCH_CHILD_INPUT; resolves with what it passed to `childResult`. */
export function runChild<I, O>(file: string, input: I, opts: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<O> {
  return new Promise<O>((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...tsNodeArgs(file)], {
      env: { ...process.env, BENCH_CHILD_INPUT: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      // pass the child's own progress lines through
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line.startsWith(MARK)) {
          try {
            result = JSON.parse(line.slice(MARK.length)) as O;
          } catch (err) {
            reject(err as Error);
          }
        } else if (line.trim()) console.log(`    ${line}`);
      }
    });
    let result: O | undefined;
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : null;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`${file} exited with ${signal ?? code}${result === undefined ? ' without a result' : ''}`));
    });
  });
}

/** In a child: the input the parent passed. */
export function childInput<I>(): I {
  const raw = process.env.BENCH_CHILD_INPUT;
  if (!raw) throw new Error('BENCH_CHILD_INPUT is not set: this file runs as a child of a benchmark');
  return JSON.parse(raw) as I;
}

/** In a child: hands the result to the parent. */
export function childResult(result: unknown): void {
  process.stdout.write(`${MARK}${JSON.stringify(result)}\n`);
}

/** Samples process RSS every `intervalMs` while running; `peakMb()` is the highest sample. */
export class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 10) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }

  /** Stops sampling and returns the peak in MB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak / 1048576;
  }
}

/** Peak RSS of this process so far (getrusage ru_maxrss), in MB. */
export function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Current RSS in MB. */
export function rssMb(): number {
  return process.memoryUsage.rss() / 1048576;
}
