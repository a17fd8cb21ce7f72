export { FakeClock } from './clock';
export { testDatabaseUrl, testRedisUrl } from './database';
export { openssl, opensslCsr, opensslVerify, tempDir, writePem, type OpensslCsr, type OpensslResult } from './openssl';
export { testPlatformOptions } from './platform-options';
