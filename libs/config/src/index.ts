export { loadConfig, loadCliConfig, ConfigError, MIN_CRL_LIFETIME_SECONDS, type AppConfig, type CliConfig } from './config';
