export { ConfigError } from './config-error';
export { loadConfig, MIN_CRL_LIFETIME_SECONDS, type AppConfig, type ConformanceSettings, type WorkerSettings } from './config';
export { loadCliConfig, type CliConfig } from './cli-config';
export { loadSignerConfig, type SignerConfig } from './signer-config';
