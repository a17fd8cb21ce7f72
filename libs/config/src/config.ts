import { z } from 'zod';
import { ConfigError } from './config-error';
import { parseEnv, pkcs11Settings } from './env';

export { ConfigError };

/** Validated settings of every Anchorage process. */
export interface AppConfig {
  mode: 'production' | 'development';
  databaseUrl: string;
  redisUrl: string;
  host: string;
  port: number;
  /** API processes sharing the listen address (node:cluster), so one host's API uses more than one core. */
  apiProcesses: number;
  /** Public base URL embedded in certificates (CDP, AIA) and used by relying servers. */
  publicBaseUrl: string;
  keyDir: string;
  /** The KEK, for keys held in process (development and tests); null when a signer process holds them. */
  kekFile: string | null;
  /** The signer process that holds the CA keys and the audit key (apps/signer), or null: keys in process. */
  signer: { socketPath: string; tokenFile: string } | null;
  /** The web tier's own key (sessions, sealed TOTP and webhook secrets), so the API needs no KEK. */
  webKeyFile: string | null;
  publishDir: string | null;
  consoleDir: string | null;
  pkcs11: { modulePath: string; tokenLabel: string; pinFile: string } | null;
  caKeyBackend: 'software' | 'pkcs11';
  apiUrl: string;
  apiToken: string | null;
  /** How often workers sweep for CRLs past half their lifetime. */
  crlRefreshSeconds: number;
  /** The share of its time a CRL generation works while the machine is busy with other work (libs/authority crl-pacing.ts); false: it never pauses. */
  crlPacing: { duty: number } | false;
  /** SMTP server for invitations and notices (smtp:// or smtps://), or null: e-mail is refused then. */
  smtpUrl: string | null;
  /** From address of the platform's e-mail. */
  mailFrom: string;
  /** Where people open the console: the base of links in e-mail (invitations). */
  consoleUrl: string;
  /** Endpoint checks and webhooks may use plain HTTP and private networks (never in production). */
  endpointCheckInsecure: boolean;
  /** Settings of the worker process. */
  worker: WorkerSettings;
}

/** Settings of apps/worker. */
export interface WorkerSettings {
  /** Prefix of every BullMQ key in Redis (several platforms may share one Redis). */
  queuePrefix: string;
  /** How long a job stays locked without a heartbeat before another worker takes it over (a killed worker). */
  jobLockSeconds: number;
  /** How often the outbox relay looks for new rows. */
  relayPollMs: number;
  /** Certificates per bulk revocation batch (one transaction each). */
  bulkBatchSize: number;
  /** Port of the worker's health and metrics listener (0: any free port); null turns it off. */
  metricsPort: number | null;
  /** Address the metrics listener binds. */
  metricsHost: string;
  /** How often the expiry scan runs. */
  expiryScanSeconds: number;
  /** Days before a certificate's notAfter at which member admins are notified. */
  noticeDays: number[];
  /** Days before a CA's notAfter at which operators are warned. */
  caNoticeDays: number[];
  /** How often the audit chain head is signed and published (docs/audit.md), when it moved. */
  auditCheckpointSeconds: number;
  /** Sign sooner once this many events arrived since the last checkpoint (looked at every minute); 0: only by time. */
  auditCheckpointEvents: number;
  /** Endpoint conformance monitoring (docs/conformance.md). */
  conformance: ConformanceSettings;
}

/** Settings of the endpoint conformance monitor. */
export interface ConformanceSettings {
  /** The monitoring cycle: every endpoint is checked once per this many seconds. */
  scanSeconds: number;
  /** Checks of one worker running at the same time. */
  concurrency: number;
  /** Deadline of one metadata fetch (connection, TLS, answer). */
  timeoutMs: number;
  /** Largest metadata answer read. */
  maxBytes: number;
  /** Days checks are kept. */
  retentionDays: number;
  /** Days an endpoint whose server certificates are all gone is still checked before it is retired. */
  graceDays: number;
}

/** Shortest CRL lifetime a community may choose (see the authority's community policy checks). */
export const MIN_CRL_LIFETIME_SECONDS = 3600;


const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .refine((u) => !u.endsWith('/'), 'must not end with a slash');

/** A comma-separated list of whole days, 1 to 3650 (notice thresholds). */
const dayList = z.string().regex(/^\s*\d{1,4}(\s*,\s*\d{1,4})*\s*$/, 'a comma-separated list of whole days, e.g. 30,14,7,1')
  .transform((s) => [...new Set(s.split(',').map((d) => Number(d.trim())))].sort((a, b) => b - a))
  .refine((days) => days.every((d) => d >= 1 && d <= 3650), 'each day count must be 1 to 3650');

const schema = z.object({
  ANCHORAGE_MODE: z.enum(['production', 'development']).default('development'),
  ANCHORAGE_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  ANCHORAGE_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://localhost:6379'),
  ANCHORAGE_HOST: z.string().min(1).default('127.0.0.1'),
  ANCHORAGE_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ANCHORAGE_API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  ANCHORAGE_PUBLIC_BASE_URL: httpUrl.default('http://localhost:3000'),
  ANCHORAGE_KEY_DIR: z.string().min(1).default('.data/keys'),
  ANCHORAGE_KEK_FILE: z.string().min(1).optional(),
  ANCHORAGE_SIGNER_SOCKET: z.string().min(1).max(100).optional(),
  ANCHORAGE_SIGNER_TOKEN_FILE: z.string().min(1).optional(),
  ANCHORAGE_WEB_KEY_FILE: z.string().min(1).optional(),
  ANCHORAGE_PUBLISH_DIR: z.string().min(1).optional(),
  ANCHORAGE_CONSOLE_DIR: z.string().min(1).optional(),
  ANCHORAGE_PKCS11_MODULE: z.string().min(1).optional(),
  ANCHORAGE_PKCS11_TOKEN: z.string().min(1).optional(),
  ANCHORAGE_PKCS11_PIN_FILE: z.string().min(1).optional(),
  ANCHORAGE_CA_KEY_BACKEND: z.enum(['software', 'pkcs11']).default('software'),
  ANCHORAGE_API_URL: httpUrl.default('http://localhost:3000'),
  ANCHORAGE_API_TOKEN: z.string().min(1).optional(),
  ANCHORAGE_CRL_REFRESH_SECONDS: z.coerce.number().int().min(10).default(600),
  ANCHORAGE_CRL_PACING_DUTY: z.coerce.number().min(0.05, 'must be 0.05 to 1 (1: never pause)').max(1, 'must be 0.05 to 1 (1: never pause)').default(0.25),
  ANCHORAGE_SMTP_URL: z.string().regex(/^smtps?:\/\/[^/]+/, 'must be an smtp:// or smtps:// URL').optional(),
  ANCHORAGE_MAIL_FROM: z.string().min(3).default('Anchorage <no-reply@anchorage.invalid>'),
  ANCHORAGE_CONSOLE_URL: httpUrl.optional(),
  ANCHORAGE_ENDPOINT_CHECK_INSECURE: z.enum(['true', 'false']).default('false'),
  ANCHORAGE_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, _ . - only').default('anchorage'),
  ANCHORAGE_JOB_LOCK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  ANCHORAGE_RELAY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  ANCHORAGE_BULK_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  ANCHORAGE_METRICS_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)]).default(9464),
  ANCHORAGE_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  ANCHORAGE_EXPIRY_SCAN_SECONDS: z.coerce.number().int().min(60).max(86400).default(86400),
  ANCHORAGE_EXPIRY_NOTICE_DAYS: dayList.default('30,14,7,1'),
  ANCHORAGE_CA_EXPIRY_NOTICE_DAYS: dayList.default('180,90,30,7'),
  ANCHORAGE_AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().min(10).max(86400).default(600),
  ANCHORAGE_AUDIT_CHECKPOINT_EVENTS: z.coerce.number().int().min(0).max(10_000_000).default(1000),
  ANCHORAGE_CONFORMANCE_SCAN_SECONDS: z.coerce.number().int().min(60).max(86400).default(3600),
  ANCHORAGE_CONFORMANCE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  ANCHORAGE_CONFORMANCE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60_000).default(10_000),
  ANCHORAGE_CONFORMANCE_MAX_BYTES: z.coerce.number().int().min(4096).max(4 * 1024 * 1024).default(256 * 1024),
  ANCHORAGE_CONFORMANCE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  ANCHORAGE_CONFORMANCE_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(7),
});

/** Reads and validates the settings from `env` (the process environment by default). */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const e = parseEnv(schema, env);
  const problems: string[] = [];
  const pkcs11 = pkcs11Settings(e, problems);
  if (e.ANCHORAGE_CA_KEY_BACKEND === 'pkcs11' && !e.ANCHORAGE_PKCS11_MODULE) {
    problems.push('ANCHORAGE_CA_KEY_BACKEND: pkcs11 needs ANCHORAGE_PKCS11_MODULE, ANCHORAGE_PKCS11_TOKEN and ANCHORAGE_PKCS11_PIN_FILE');
  }
  if (Boolean(e.ANCHORAGE_SIGNER_SOCKET) !== Boolean(e.ANCHORAGE_SIGNER_TOKEN_FILE)) {
    problems.push('ANCHORAGE_SIGNER_SOCKET and ANCHORAGE_SIGNER_TOKEN_FILE go together: set both (a signer process holds the keys) or neither (keys in process)');
  }
  if (e.ANCHORAGE_MODE === 'production') {
    // the API and the worker never hold a CA key or the KEK in production: the signer process does (apps/signer)
    if (!e.ANCHORAGE_SIGNER_SOCKET) problems.push('ANCHORAGE_SIGNER_SOCKET: required in production (the Unix socket of the signer process, which alone holds the CA keys)');
    if (e.ANCHORAGE_KEK_FILE) problems.push('ANCHORAGE_KEK_FILE: must not be set for the API or the worker in production; only the signer process reads the KEK');
    if (!e.ANCHORAGE_WEB_KEY_FILE) problems.push('ANCHORAGE_WEB_KEY_FILE: required in production (the key of sessions and sealed TOTP and webhook secrets)');
  }
  if (e.ANCHORAGE_MODE === 'production' && e.ANCHORAGE_PUBLIC_BASE_URL.includes('localhost')) {
    problems.push('ANCHORAGE_PUBLIC_BASE_URL: must be the public address relying servers reach, not localhost, in production');
  }
  // CRLs are replaced once past half their lifetime; sweeping at least every quarter lifetime
  // leaves a quarter lifetime of margin for failures and retries before any CRL could lapse.
  if (e.ANCHORAGE_CRL_REFRESH_SECONDS > MIN_CRL_LIFETIME_SECONDS / 4) {
    problems.push(`ANCHORAGE_CRL_REFRESH_SECONDS: must be at most ${MIN_CRL_LIFETIME_SECONDS / 4} (a quarter of the shortest CRL lifetime) so no CRL can lapse between sweeps`);
  }
  if (e.ANCHORAGE_MODE === 'production' && e.ANCHORAGE_ENDPOINT_CHECK_INSECURE === 'true') {
    problems.push('ANCHORAGE_ENDPOINT_CHECK_INSECURE: must not be true in production (endpoint checks and webhooks would accept plain HTTP and private addresses)');
  }
  // a fetch that may take longer than the cycle leaves endpoints unchecked for a cycle when many hang at once
  if (e.ANCHORAGE_CONFORMANCE_TIMEOUT_MS * 10 > e.ANCHORAGE_CONFORMANCE_SCAN_SECONDS * 1000) {
    problems.push('ANCHORAGE_CONFORMANCE_TIMEOUT_MS: must be at most a tenth of ANCHORAGE_CONFORMANCE_SCAN_SECONDS (a hanging server must not hold a check for a large part of the cycle)');
  }
  if (e.ANCHORAGE_CONFORMANCE_RETENTION_DAYS * 86400 < e.ANCHORAGE_CONFORMANCE_SCAN_SECONDS * 24) {
    problems.push('ANCHORAGE_CONFORMANCE_RETENTION_DAYS: must keep at least 24 cycles of checks (ANCHORAGE_CONFORMANCE_SCAN_SECONDS)');
  }
  if (e.ANCHORAGE_MODE === 'production' && e.ANCHORAGE_SMTP_URL && !e.ANCHORAGE_CONSOLE_URL) {
    problems.push('ANCHORAGE_CONSOLE_URL: required in production with ANCHORAGE_SMTP_URL (the console address invitation links point to)');
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    mode: e.ANCHORAGE_MODE,
    databaseUrl: e.ANCHORAGE_DATABASE_URL,
    redisUrl: e.ANCHORAGE_REDIS_URL,
    host: e.ANCHORAGE_HOST,
    port: e.ANCHORAGE_PORT,
    apiProcesses: e.ANCHORAGE_API_PROCESSES,
    publicBaseUrl: e.ANCHORAGE_PUBLIC_BASE_URL,
    keyDir: e.ANCHORAGE_KEY_DIR,
    kekFile: e.ANCHORAGE_SIGNER_SOCKET ? null : e.ANCHORAGE_KEK_FILE ?? (e.ANCHORAGE_MODE === 'development' ? '.data/kek' : null),
    signer: e.ANCHORAGE_SIGNER_SOCKET ? { socketPath: e.ANCHORAGE_SIGNER_SOCKET, tokenFile: e.ANCHORAGE_SIGNER_TOKEN_FILE! } : null,
    webKeyFile: e.ANCHORAGE_WEB_KEY_FILE ?? null,
    publishDir: e.ANCHORAGE_PUBLISH_DIR ?? null,
    consoleDir: e.ANCHORAGE_CONSOLE_DIR ?? null,
    pkcs11,
    caKeyBackend: e.ANCHORAGE_CA_KEY_BACKEND,
    apiUrl: e.ANCHORAGE_API_URL,
    apiToken: e.ANCHORAGE_API_TOKEN ?? null,
    crlRefreshSeconds: e.ANCHORAGE_CRL_REFRESH_SECONDS,
    crlPacing: e.ANCHORAGE_CRL_PACING_DUTY >= 1 ? false : { duty: e.ANCHORAGE_CRL_PACING_DUTY },
    smtpUrl: e.ANCHORAGE_SMTP_URL ?? null,
    mailFrom: e.ANCHORAGE_MAIL_FROM,
    consoleUrl: e.ANCHORAGE_CONSOLE_URL ?? `http://${e.ANCHORAGE_HOST === '0.0.0.0' ? 'localhost' : e.ANCHORAGE_HOST}:${e.ANCHORAGE_PORT}`,
    endpointCheckInsecure: e.ANCHORAGE_ENDPOINT_CHECK_INSECURE === 'true',
    worker: {
      queuePrefix: e.ANCHORAGE_QUEUE_PREFIX,
      jobLockSeconds: e.ANCHORAGE_JOB_LOCK_SECONDS,
      relayPollMs: e.ANCHORAGE_RELAY_POLL_MS,
      bulkBatchSize: e.ANCHORAGE_BULK_BATCH_SIZE,
      metricsPort: e.ANCHORAGE_METRICS_PORT === 'off' ? null : e.ANCHORAGE_METRICS_PORT,
      metricsHost: e.ANCHORAGE_METRICS_HOST,
      expiryScanSeconds: e.ANCHORAGE_EXPIRY_SCAN_SECONDS,
      noticeDays: e.ANCHORAGE_EXPIRY_NOTICE_DAYS,
      caNoticeDays: e.ANCHORAGE_CA_EXPIRY_NOTICE_DAYS,
      auditCheckpointSeconds: e.ANCHORAGE_AUDIT_CHECKPOINT_SECONDS,
      auditCheckpointEvents: e.ANCHORAGE_AUDIT_CHECKPOINT_EVENTS,
      conformance: {
        scanSeconds: e.ANCHORAGE_CONFORMANCE_SCAN_SECONDS,
        concurrency: e.ANCHORAGE_CONFORMANCE_CONCURRENCY,
        timeoutMs: e.ANCHORAGE_CONFORMANCE_TIMEOUT_MS,
        maxBytes: e.ANCHORAGE_CONFORMANCE_MAX_BYTES,
        retentionDays: e.ANCHORAGE_CONFORMANCE_RETENTION_DAYS,
        graceDays: e.ANCHORAGE_CONFORMANCE_GRACE_DAYS,
      },
    },
  };
}
