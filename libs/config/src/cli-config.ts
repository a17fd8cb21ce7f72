import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';

// for the CLI bundle, which takes its settings from this file alone (scripts/build-cli.cjs)
export { ConfigError };

/** Settings of the operator CLI: where the API is, the token, and (for `token create`) the database. */
export interface CliConfig {
  apiUrl: string;
  apiToken: string | null;
  databaseUrl: string | null;
  /** Where `bootstrap` saves the community's root certificate and config.json (ANCHORAGE_CLI_DIR, else ~/.anchorage). */
  configDir: string;
}

/**
 * Reads the CLI's settings; flags given on the command line win over these, and these over the
 * config.json `bootstrap` wrote (its apiUrl is used when ANCHORAGE_API_URL is not set).
 */
export function loadCliConfig(env: Record<string, string | undefined> = process.env): CliConfig {
  const problems: string[] = [];
  const configDir = env.ANCHORAGE_CLI_DIR ?? join(env.HOME ?? homedir(), '.anchorage');
  const file = join(configDir, 'config.json');
  const saved = env.ANCHORAGE_API_URL === undefined ? savedApiUrl(file, problems) : undefined;
  const apiUrl = env.ANCHORAGE_API_URL ?? saved ?? 'http://localhost:3000';
  if (!/^https?:\/\/[^/]+/.test(apiUrl)) problems.push(`${saved === undefined ? 'ANCHORAGE_API_URL' : `${file}: apiUrl`}: must be an http(s) URL`);
  const db = env.ANCHORAGE_DATABASE_URL ?? null;
  if (db !== null && !/^postgres(ql)?:\/\//.test(db)) problems.push('ANCHORAGE_DATABASE_URL: must be a postgresql:// URL');
  if (problems.length) throw new ConfigError(problems);
  return { apiUrl: apiUrl.replace(/\/+$/, ''), apiToken: env.ANCHORAGE_API_TOKEN ?? null, databaseUrl: db, configDir };
}

/** The apiUrl of the CLI's config.json, if there is one. */
function savedApiUrl(file: string, problems: string[]): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { apiUrl?: unknown };
    if (saved.apiUrl === undefined) return undefined;
    if (typeof saved.apiUrl === 'string') return saved.apiUrl;
  } catch {
    // reported below
  }
  problems.push(`${file}: apiUrl must be an http(s) URL in a JSON object (written by \`bootstrap\`)`);
  return undefined;
}
