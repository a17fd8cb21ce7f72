import { randomBytes } from 'node:crypto';
import { Database, type GroupCommitLimits } from '@anchorage/db';
import { SmtpMailer, UnconfiguredMailer } from '@anchorage/mail';
import { SecretBox, SignerClient, deriveSubkey, loadKekFile, loadKeyFile, openSigner, type SigningService } from '@anchorage/signer';
import { systemClock, type Clock } from './clock';
import type { AuthorityDeps } from './deps';
import { ApiTokenCache } from './api-token-cache';
import { HttpEndpointProber } from './onboarding/endpoint-prober';
import { HttpWebhookSender } from './notices/webhook-sender';
import { OutboundGuard } from './outbound-http';
import { PublicRepository } from './public-repository';
import { PublicUrls } from './urls';
import type { CrlPacingOptions } from './crl-pacing';

/** Settings the composition root needs (apps pass them from their validated configuration). */
export interface PlatformOptions {
  databaseUrl: string;
  publicBaseUrl: string;
  keyDir: string;
  /** KEK of keys held in process (tests, development); ignored with `signer`. */
  kekFile: string | null;
  /** The signer process holding the CA keys and the audit key; null: keys in this process (keyDir, kekFile, pkcs11). */
  signer?: { socketPath: string; tokenFile: string } | null;
  /** The web tier's key (sessions, sealed TOTP and webhook secrets); without it, keys in process derive them from the KEK. */
  webKeyFile?: string | null;
  pkcs11: { modulePath: string; tokenLabel: string; pinFile: string } | null;
  caKeyBackend: 'software' | 'pkcs11';
  publishDir: string | null;
  poolSize?: number;
  clock?: Clock;
  /** Lifetime of a cached API token (api-token-cache.ts); default 10 s, 0 turns the cache off. Used only while token changes are heard. */
  apiTokenCacheTtlMs?: number;
  /** Lifetime of cached issuance contexts (libs/db context-cache.ts); default 1 s, 0 turns the cache off. */
  contextCacheTtlMs?: number;
  /** Limits of the issuance path's grouped writes (libs/db group-commit.ts); false writes each intent and completion alone. */
  groupCommit?: GroupCommitLimits | false;
  /** SMTP server for invitations (smtp:// URL); without one, sending e-mail fails with a clear error. */
  smtpUrl?: string | null;
  mailFrom?: string;
  /** Base of links in e-mail (the console's address). */
  consoleUrl?: string;
  /** Endpoint checks and webhooks may use plain HTTP and private addresses (tests and development only). */
  endpointCheckInsecure?: boolean;
  /** Where the detail of a refused or failed outbound request goes (the server log); members see a code only. */
  outboundLog?: (line: string) => void;
  /** PEM trust anchors of members' HTTPS servers instead of the public CAs (tests with loopback servers). */
  outboundTlsCa?: string[];
  /** Limits of one conformance check's metadata fetch (default 10 s, 256 KiB). */
  conformanceFetch?: { timeoutMs?: number; maxBytes?: number };
  /** How CRL generation yields a busy machine (crl-pacing.ts); default: works a quarter of its time while others use half a core or more; false: never pauses. */
  crlPacing?: CrlPacingOptions | false;
}

/** A wired authority and the means to shut it down. */
export interface Platform extends AuthorityDeps {
  close(): Promise<void>;
}

/**
 * Wires database, signer backends, public repository and clock. Refuses to start when a CA key
 * store cannot be opened (architecture habit 8: refuse to start on a broken invariant).
 */
export async function openPlatform(o: PlatformOptions): Promise<Platform> {
  // With a signer process this process never reads the KEK or a key file: the web tier's secrets come
  // from their own key. Keys in process (tests, development) may still derive them from the KEK.
  const signer: SigningService = o.signer
    ? await SignerClient.connect({ socketPath: o.signer.socketPath, token: await loadKeyFile(o.signer.tokenFile, 'signer token') })
    : await openSigner(o);
  const webKey = o.webKeyFile ? await loadKeyFile(o.webKeyFile, 'web key') : !o.signer && o.kekFile ? await loadKekFile(o.kekFile) : null;
  const identityKeys = webKey
    ? { sessionMacKey: deriveSubkey(webKey, 'session-token-mac'), totpBox: SecretBox.fromKek(webKey, 'totp-secret-seal'), webhookBox: SecretBox.fromKek(webKey, 'webhook-secret-seal') }
    : null;
  const db = Database.open(o.databaseUrl, o.poolSize ?? 10, { contextCacheTtlMs: o.contextCacheTtlMs, groupCommit: o.groupCommit });
  const clock = o.clock ?? systemClock;
  const repository = new PublicRepository(db, o.publishDir, clock);
  const mailer = o.smtpUrl ? new SmtpMailer(o.smtpUrl, o.mailFrom ?? 'Anchorage <no-reply@anchorage.invalid>') : new UnconfiguredMailer();
  const outbound = new OutboundGuard({ allowInsecure: o.endpointCheckInsecure === true, log: o.outboundLog, tlsCa: o.outboundTlsCa });
  return {
    db,
    signer,
    clock,
    urls: new PublicUrls(o.publicBaseUrl),
    repository,
    random: (n) => randomBytes(n),
    caKeyBackend: o.caKeyBackend,
    identityKeys,
    mailer,
    consoleUrl: (o.consoleUrl ?? 'http://localhost:3000').replace(/\/+$/, ''),
    endpointProber: new HttpEndpointProber(outbound),
    webhookSender: new HttpWebhookSender(outbound),
    outbound,
    apiTokenCache: new ApiTokenCache(o.apiTokenCacheTtlMs),
    conformanceFetch: { timeoutMs: o.conformanceFetch?.timeoutMs ?? 10_000, maxBytes: o.conformanceFetch?.maxBytes ?? 256 * 1024 },
    crlPacing: o.crlPacing,
    async close() {
      await mailer.close();
      await signer.close();
      await db.close();
    },
  };
}
