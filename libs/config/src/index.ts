export { loadConfig, loadCliConfig, ConfigError, MIN_CRL_LIFETIME_SECONDS, type AppConfig, type CliConfig, type ConformanceSettings, type WorkerSettings } from './config';
export { loadSignerConfig, type SignerConfig } from './signer-config';
