import { ConfigError, loadConfig } from './config';

const base = { ANCHORAGE_DATABASE_URL: 'postgresql://postgres@localhost:5432/x' };

describe('loadConfig', () => {
  it('applies defaults for development', () => {
    const c = loadConfig(base);
    expect(c.mode).toBe('development');
    expect(c.port).toBe(3000);
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
    expect(c.kekFile).toBe('.data/kek');
  });

  it('names the setting that is wrong', () => {
    expect(() => loadConfig({ ...base, ANCHORAGE_PORT: 'eighty' })).toThrow(/ANCHORAGE_PORT/);
    expect(() => loadConfig({})).toThrow(/ANCHORAGE_DATABASE_URL/);
    expect(() => loadConfig({ ...base, ANCHORAGE_PUBLIC_BASE_URL: 'http://x.org/' })).toThrow(/ANCHORAGE_PUBLIC_BASE_URL: must not end with a slash/);
  });

  it('refuses production without a key-encryption key file or with a localhost public URL', () => {
    try {
      loadConfig({ ...base, ANCHORAGE_MODE: 'production' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.join('\n')).toMatch(/ANCHORAGE_KEK_FILE: required in production/);
      expect((err as ConfigError).problems.join('\n')).toMatch(/ANCHORAGE_PUBLIC_BASE_URL/);
    }
  });

  it('refuses a CRL refresh interval that could let a CRL lapse', () => {
    expect(loadConfig(base).crlRefreshSeconds).toBe(600);
    expect(() => loadConfig({ ...base, ANCHORAGE_CRL_REFRESH_SECONDS: '7200' })).toThrow(/ANCHORAGE_CRL_REFRESH_SECONDS: must be at most 900/);
  });

  it('wants the PKCS#11 settings together', () => {
    expect(() => loadConfig({ ...base, ANCHORAGE_PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so' })).toThrow(/go together/);
    expect(() => loadConfig({ ...base, ANCHORAGE_CA_KEY_BACKEND: 'pkcs11' })).toThrow(/pkcs11 needs/);
  });
});
