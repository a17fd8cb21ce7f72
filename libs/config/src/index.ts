export { loadConfig, loadCliConfig, ConfigError, MIN_CRL_LIFETIME_SECONDS, type AppConfig, type CliConfig, type WorkerSettings } from './config';
export { loadSignerConfig, type SignerConfig } from './signer-config';
