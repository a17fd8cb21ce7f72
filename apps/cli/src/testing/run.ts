import { runCliBundle } from '@anchorage/testing';

/** What one CLI call printed and returned. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** stdout parsed as JSON (for --json calls), untyped as JSON.parse's result is. */
  json: () => ReturnType<typeof JSON.parse>;
}

/**
 * Runs the published CLI (the bundle, with plain `node`) against `apiUrl()` with the token `token()`
 * (read at each call, since tests set them in beforeAll); `env` adds settings, e.g. ANCHORAGE_CLI_DIR.
 */
export function cliAgainst(apiUrl: () => string, token: () => string, env: () => Record<string, string> = () => ({})): (...args: string[]) => Promise<CliRun> {
  return async (...args) => {
    const r = await runCliBundle(['--api-url', apiUrl(), '--token', token(), ...args], env());
    return { ...r, json: () => JSON.parse(r.out) };
  };
}
