export { FakeClock } from './clock';
export { testDatabaseUrl, testRedisUrl } from './database';
export { openssl, tempDir, writePem } from './openssl';
