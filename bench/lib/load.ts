// Parent side of the load generator: runs bench/lib/load-worker.ts in a child process.
import { join } from 'node:path';
import { runChild } from './child';

/** TLS for servers that only speak HTTPS: the CA file to trust and the name the certificate carries. */
export interface LoadTls {
  caFile: string;
  servername: string;
}

/** Repeated GETs of one path over `concurrency` keep-alive connections (after `warmup` requests). */
export interface GetLoad {
  mode: 'get';
  host: string;
  port: number;
  path: string;
  headers?: Record<string, string>;
  concurrency: number;
  requests: number;
  warmup: number;
  timeoutMs: number;
  tls?: LoadTls;
}

/** One POST per body (JSON strings in a file), `concurrency` in flight. */
export interface PostLoad {
  mode: 'post';
  host: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  bodiesFile: string;
  concurrency: number;
  expectStatus: number;
  timeoutMs: number;
  tls?: LoadTls;
}

/** What a load run measured. */
export interface LoadResult {
  requests: number;
  ms: number;
  rps: number;
  statuses: Record<string, number>;
  bytes: number;
  latenciesMs: number[];
  errors: string[];
  /** CPU time the load generator itself used (POST loads), which the machine's two cores share with the server. */
  cpuMs?: number;
}

/** Runs a load in a separate process and returns its figures. */
export function runLoad(load: GetLoad | PostLoad): Promise<LoadResult> {
  return runChild<GetLoad | PostLoad, LoadResult>(join(__dirname, 'load-worker.ts'), load, { timeoutMs: load.timeoutMs + 30_000 });
}
