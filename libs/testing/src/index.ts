export { FakeClock } from './clock';
export { testDatabaseUrl, testRedisUrl } from './database';
export {
  openssl, opensslCsr, opensslRoot, opensslVerify, tempDir, writePem, ISSUING_CA_EXTENSIONS, type OpensslCsr, type OpensslResult, type OpensslRoot,
} from './openssl';
export { testPlatformOptions } from './platform-options';
export { SmtpReceiver, type ReceivedMail } from './smtp-receiver';
export { startPrivateRedis, type PrivateRedis } from './redis-server';
export { REPO_ROOT, createTokenWithCli, platformEnv, startApiProcess, startWorkerProcess, type ApiProcess, type WorkerProcess } from './processes';
