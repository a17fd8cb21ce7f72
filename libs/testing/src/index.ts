export { FakeClock } from './clock';
export { testDatabaseUrl, testRedisUrl } from './database';
export {
  openssl, opensslCsr, opensslRoot, opensslVerify, tempDir, writePem, ISSUING_CA_EXTENSIONS, type OpensslCsr, type OpensslResult, type OpensslRoot,
} from './openssl';
export {
  forgePkcs12Problems, keytoolPkcs12Problems, opensslLeafChain, opensslPkcs12Problems, pfxDerProblems, pkcs12Problems, type OpensslLeafChain, type Pkcs12Expectation,
} from './pkcs12';
export { isolatedPlatformOptions, testPlatformOptions, type IsolatedPlatformOptions } from './platform-options';
export { SmtpReceiver, type ReceivedMail } from './smtp-receiver';
export { startPrivateRedis, type PrivateRedis } from './redis-server';
export {
  REPO_ROOT, CLI_BUNDLE, createTokenWithCli, runCliBundle, type CliBundleRun, platformEnv, signerClientEnv, startApiProcess, startSignerProcess, startWorkerProcess, type ApiProcess, type SignerProcess, type WorkerProcess,
} from './processes';
export {
  loopbackTls, signedMetadataJwt, startLoopbackHttps, udapMetadata, type LoopbackHttps, type LoopbackTls, type MetadataSigner,
} from './udap-endpoints';
export { b64u, cbor, SoftAuthenticator, type Cbor } from './webauthn-authenticator';
