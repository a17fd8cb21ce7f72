import type { ApiClient } from '../api-client';

/** Where the CLI writes, so tests can capture it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Operations that need the database directly (run where the database is reachable). */
export interface LocalOps {
  createToken(name: string, expiresInDays?: number): Promise<{ id: string; name: string; token: string; expiresAt: string | null }>;
}

/** Settings from the environment; flags win. */
export interface CliDefaults {
  apiUrl: string;
  apiToken: string | null;
  /** Where `bootstrap` saves the root certificate and config.json. */
  configDir: string;
}

/** Prints the human text, or with `--json` the JSON. */
export type Print = (human: string, json: unknown) => void;

/** What a command group's register function gets from runCli. */
export interface CommandDeps {
  /** The API client and printer, from the global options as parsed (call it inside an action). */
  ctx: () => { api: ApiClient; print: Print };
  io: CliIo;
  /** `--json` was given (known before parsing). */
  json: boolean;
  defaults: CliDefaults;
  local: () => Promise<LocalOps>;
}
