import { runCli } from '../cli';

/** What one CLI call printed and returned. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** stdout parsed as JSON (for --json calls), untyped as JSON.parse's result is. */
  json: () => ReturnType<typeof JSON.parse>;
}

/** Runs the CLI in process against `apiUrl()` with the token `token()` (read at each call, since tests set them in beforeAll). */
export function cliAgainst(apiUrl: () => string, token: () => string): (...args: string[]) => Promise<CliRun> {
  return async (...args) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--api-url', apiUrl(), '--token', token(), ...args], { out: (l) => out.push(l), err: (l) => err.push(l) }, { apiUrl: apiUrl(), apiToken: null }, async () => {
      throw new Error('not used');
    });
    return { code, out: out.join('\n'), err: err.join('\n'), json: () => JSON.parse(out.join('\n')) };
  };
}
