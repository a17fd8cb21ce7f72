import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { loadCliConfig } from './cli-config';

describe('loadCliConfig', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'anchorage-cli-config-'));

  it('takes the API URL from the environment, else from the config.json bootstrap saved, else localhost', () => {
    const d = dir();
    expect(loadCliConfig({ ANCHORAGE_CLI_DIR: d })).toEqual({ apiUrl: 'http://localhost:3000', apiToken: null, databaseUrl: null, configDir: d });
    writeFileSync(join(d, 'config.json'), JSON.stringify({ apiUrl: 'https://ca.example.org/', communityId: 'x' }));
    expect(loadCliConfig({ ANCHORAGE_CLI_DIR: d }).apiUrl).toBe('https://ca.example.org');
    expect(loadCliConfig({ ANCHORAGE_CLI_DIR: d, ANCHORAGE_API_URL: 'http://127.0.0.1:3000' }).apiUrl).toBe('http://127.0.0.1:3000');
  });

  it('defaults the directory to ~/.anchorage', () => {
    expect(loadCliConfig({ HOME: '/nonexistent/home' }).configDir).toBe('/nonexistent/home/.anchorage');
  });

  it('names a config.json it cannot use, and bad settings', () => {
    const d = dir();
    writeFileSync(join(d, 'config.json'), '{ not json');
    expect(() => loadCliConfig({ ANCHORAGE_CLI_DIR: d })).toThrow(ConfigError);
    expect(() => loadCliConfig({ ANCHORAGE_CLI_DIR: d })).toThrow(/config\.json: apiUrl must be an http\(s\) URL/);
    writeFileSync(join(d, 'config.json'), JSON.stringify({ apiUrl: 'ftp://x' }));
    expect(() => loadCliConfig({ ANCHORAGE_CLI_DIR: d })).toThrow(/config\.json: apiUrl: must be an http\(s\) URL/);
    // the environment wins, unread file or not
    expect(loadCliConfig({ ANCHORAGE_CLI_DIR: d, ANCHORAGE_API_URL: 'http://a' }).apiUrl).toBe('http://a');
    expect(() => loadCliConfig({ ANCHORAGE_CLI_DIR: d, ANCHORAGE_API_URL: 'ftp://a' })).toThrow(/ANCHORAGE_API_URL: must be an http\(s\) URL/);
    expect(() => loadCliConfig({ ANCHORAGE_CLI_DIR: d, ANCHORAGE_API_URL: 'http://a', ANCHORAGE_DATABASE_URL: 'mysql://x' })).toThrow(/ANCHORAGE_DATABASE_URL/);
  });
});
