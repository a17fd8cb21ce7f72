import { ConfigError, loadConfig } from './config';

const base = { ANCHORAGE_DATABASE_URL: 'postgresql://postgres@localhost:5432/x' };

describe('loadConfig', () => {
  it('applies defaults for development', () => {
    const c = loadConfig(base);
    expect(c.mode).toBe('development');
    expect(c.port).toBe(3000);
    expect(c.apiProcesses).toBe(1);
    expect(loadConfig({ ...base, ANCHORAGE_API_PROCESSES: '2' }).apiProcesses).toBe(2);
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
    expect(c.kekFile).toBe('.data/kek');
  });

  it('names the setting that is wrong', () => {
    expect(() => loadConfig({ ...base, ANCHORAGE_PORT: 'eighty' })).toThrow(/ANCHORAGE_PORT/);
    expect(() => loadConfig({ ...base, ANCHORAGE_API_PROCESSES: '0' })).toThrow(/ANCHORAGE_API_PROCESSES/);
    expect(() => loadConfig({})).toThrow(/ANCHORAGE_DATABASE_URL/);
    expect(() => loadConfig({ ...base, ANCHORAGE_PUBLIC_BASE_URL: 'http://x.org/' })).toThrow(/ANCHORAGE_PUBLIC_BASE_URL: must not end with a slash/);
  });

  it('refuses production unless a signer process holds the keys, and with a localhost public URL', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems.join('\n');
      }
      return '';
    };
    const bare = problems({ ...base, ANCHORAGE_MODE: 'production' });
    expect(bare).toMatch(/ANCHORAGE_SIGNER_SOCKET: required in production/);
    expect(bare).toMatch(/ANCHORAGE_WEB_KEY_FILE: required in production/);
    expect(bare).toMatch(/ANCHORAGE_PUBLIC_BASE_URL/);
    const split = { ...base, ANCHORAGE_MODE: 'production', ANCHORAGE_SIGNER_SOCKET: '/run/anchorage/signer.sock', ANCHORAGE_SIGNER_TOKEN_FILE: '/etc/anchorage/signer-token', ANCHORAGE_WEB_KEY_FILE: '/etc/anchorage/web-key', ANCHORAGE_PUBLIC_BASE_URL: 'https://pki.example.org' };
    expect(loadConfig(split)).toMatchObject({ signer: { socketPath: '/run/anchorage/signer.sock', tokenFile: '/etc/anchorage/signer-token' }, kekFile: null, webKeyFile: '/etc/anchorage/web-key' });
    expect(problems({ ...split, ANCHORAGE_KEK_FILE: '/etc/anchorage/kek' })).toMatch(/ANCHORAGE_KEK_FILE: must not be set for the API or the worker in production/);
    expect(problems({ ...base, ANCHORAGE_SIGNER_SOCKET: '/tmp/s.sock' })).toMatch(/ANCHORAGE_SIGNER_SOCKET and ANCHORAGE_SIGNER_TOKEN_FILE go together/);
    // development keeps keys in process unless a signer is named
    expect(loadConfig(base)).toMatchObject({ signer: null, kekFile: '.data/kek' });
  });

  it('allows plain HTTP and private addresses for endpoint checks and webhooks in development only', () => {
    expect(loadConfig(base).endpointCheckInsecure).toBe(false);
    expect(loadConfig({ ...base, ANCHORAGE_ENDPOINT_CHECK_INSECURE: 'true' }).endpointCheckInsecure).toBe(true);
    const production = { ...base, ANCHORAGE_MODE: 'production', ANCHORAGE_SIGNER_SOCKET: '/run/s.sock', ANCHORAGE_SIGNER_TOKEN_FILE: '/etc/t', ANCHORAGE_WEB_KEY_FILE: '/etc/w', ANCHORAGE_PUBLIC_BASE_URL: 'https://pki.example.org' };
    expect(loadConfig(production).endpointCheckInsecure).toBe(false);
    expect(() => loadConfig({ ...production, ANCHORAGE_ENDPOINT_CHECK_INSECURE: 'true' })).toThrow(/ANCHORAGE_ENDPOINT_CHECK_INSECURE: must not be true in production/);
    expect(() => loadConfig({ ...base, ANCHORAGE_ENDPOINT_CHECK_INSECURE: 'yes' })).toThrow(/ANCHORAGE_ENDPOINT_CHECK_INSECURE/);
  });

  it('paces CRL generation at a quarter of its time by default, never with duty 1, and refuses a duty out of range', () => {
    expect(loadConfig(base).crlPacing).toEqual({ duty: 0.25 });
    expect(loadConfig({ ...base, ANCHORAGE_CRL_PACING_DUTY: '0.5' }).crlPacing).toEqual({ duty: 0.5 });
    expect(loadConfig({ ...base, ANCHORAGE_CRL_PACING_DUTY: '1' }).crlPacing).toBe(false);
    expect(() => loadConfig({ ...base, ANCHORAGE_CRL_PACING_DUTY: '0' })).toThrow(/ANCHORAGE_CRL_PACING_DUTY: must be 0.05 to 1/);
    expect(() => loadConfig({ ...base, ANCHORAGE_CRL_PACING_DUTY: '2' })).toThrow(/ANCHORAGE_CRL_PACING_DUTY: must be 0.05 to 1/);
  });

  it('refuses a CRL refresh interval that could let a CRL lapse', () => {
    expect(loadConfig(base).crlRefreshSeconds).toBe(600);
    expect(() => loadConfig({ ...base, ANCHORAGE_CRL_REFRESH_SECONDS: '7200' })).toThrow(/ANCHORAGE_CRL_REFRESH_SECONDS: must be at most 900/);
  });

  it('checkpoints the audit chain every 10 minutes and every 1000 events by default, and refuses nonsense', () => {
    expect(loadConfig(base).worker).toMatchObject({ auditCheckpointSeconds: 600, auditCheckpointEvents: 1000 });
    expect(loadConfig({ ...base, ANCHORAGE_AUDIT_CHECKPOINT_SECONDS: '60', ANCHORAGE_AUDIT_CHECKPOINT_EVENTS: '0' }).worker).toMatchObject({ auditCheckpointSeconds: 60, auditCheckpointEvents: 0 });
    expect(() => loadConfig({ ...base, ANCHORAGE_AUDIT_CHECKPOINT_SECONDS: '0' })).toThrow(/ANCHORAGE_AUDIT_CHECKPOINT_SECONDS/);
    expect(() => loadConfig({ ...base, ANCHORAGE_AUDIT_CHECKPOINT_SECONDS: '172800' })).toThrow(/ANCHORAGE_AUDIT_CHECKPOINT_SECONDS/);
    expect(() => loadConfig({ ...base, ANCHORAGE_AUDIT_CHECKPOINT_EVENTS: '-1' })).toThrow(/ANCHORAGE_AUDIT_CHECKPOINT_EVENTS/);
  });

  it('monitors endpoint conformance hourly by default, and refuses settings that break the cycle', () => {
    expect(loadConfig(base).worker.conformance).toEqual({ scanSeconds: 3600, concurrency: 16, timeoutMs: 10_000, maxBytes: 262_144, retentionDays: 30, graceDays: 7 });
    expect(loadConfig({ ...base, ANCHORAGE_CONFORMANCE_SCAN_SECONDS: '600', ANCHORAGE_CONFORMANCE_CONCURRENCY: '64' }).worker.conformance).toMatchObject({ scanSeconds: 600, concurrency: 64 });
    expect(() => loadConfig({ ...base, ANCHORAGE_CONFORMANCE_SCAN_SECONDS: '30' })).toThrow(/ANCHORAGE_CONFORMANCE_SCAN_SECONDS/);
    expect(() => loadConfig({ ...base, ANCHORAGE_CONFORMANCE_SCAN_SECONDS: 'hourly' })).toThrow(/ANCHORAGE_CONFORMANCE_SCAN_SECONDS/);
    expect(() => loadConfig({ ...base, ANCHORAGE_CONFORMANCE_CONCURRENCY: '0' })).toThrow(/ANCHORAGE_CONFORMANCE_CONCURRENCY/);
    expect(() => loadConfig({ ...base, ANCHORAGE_CONFORMANCE_SCAN_SECONDS: '60' })).toThrow(/ANCHORAGE_CONFORMANCE_TIMEOUT_MS: must be at most a tenth/);
    expect(loadConfig({ ...base, ANCHORAGE_CONFORMANCE_SCAN_SECONDS: '60', ANCHORAGE_CONFORMANCE_TIMEOUT_MS: '5000' }).worker.conformance.timeoutMs).toBe(5000);
    expect(() => loadConfig({ ...base, ANCHORAGE_CONFORMANCE_SCAN_SECONDS: '86400', ANCHORAGE_CONFORMANCE_RETENTION_DAYS: '7' })).toThrow(/ANCHORAGE_CONFORMANCE_RETENTION_DAYS/);
  });

  it('wants the PKCS#11 settings together', () => {
    expect(() => loadConfig({ ...base, ANCHORAGE_PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so' })).toThrow(/go together/);
    expect(() => loadConfig({ ...base, ANCHORAGE_CA_KEY_BACKEND: 'pkcs11' })).toThrow(/pkcs11 needs/);
  });
});
