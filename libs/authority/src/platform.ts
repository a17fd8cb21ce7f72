import { randomBytes } from 'node:crypto';
import { Database } from '@anchorage/db';
import { SmtpMailer, UnconfiguredMailer } from '@anchorage/mail';
import { Pkcs11KeyBackend, SecretBox, Signer, SoftwareKeyBackend, deriveSubkey, loadKekFile, readPinFile, type KeyBackend } from '@anchorage/signer';
import { systemClock, type Clock } from './clock';
import type { AuthorityDeps } from './deps';
import { HttpEndpointProber } from './onboarding/endpoint-prober';
import { HttpWebhookSender } from './notices/webhook-sender';
import { OutboundGuard } from './outbound-http';
import { PublicRepository } from './public-repository';
import { PublicUrls } from './urls';

/** Settings the composition root needs (apps pass them from their validated configuration). */
export interface PlatformOptions {
  databaseUrl: string;
  publicBaseUrl: string;
  keyDir: string;
  kekFile: string | null;
  pkcs11: { modulePath: string; tokenLabel: string; pinFile: string } | null;
  caKeyBackend: 'software' | 'pkcs11';
  publishDir: string | null;
  poolSize?: number;
  clock?: Clock;
  /** Lifetime of cached issuance contexts (libs/db context-cache.ts); default 1 s, 0 turns the cache off. */
  contextCacheTtlMs?: number;
  /** SMTP server for invitations (smtp:// URL); without one, sending e-mail fails with a clear error. */
  smtpUrl?: string | null;
  mailFrom?: string;
  /** Base of links in e-mail (the console's address). */
  consoleUrl?: string;
  /** Endpoint checks and webhooks may use plain HTTP and private addresses (tests and development only). */
  endpointCheckInsecure?: boolean;
  /** Where the detail of a refused or failed outbound request goes (the server log); members see a code only. */
  outboundLog?: (line: string) => void;
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
  const backends: KeyBackend[] = [];
  const kek = o.kekFile ? await loadKekFile(o.kekFile) : null;
  if (kek) backends.push(new SoftwareKeyBackend({ keyDir: o.keyDir, kek }));
  const identityKeys = kek
    ? { sessionMacKey: deriveSubkey(kek, 'session-token-mac'), totpBox: SecretBox.fromKek(kek, 'totp-secret-seal'), webhookBox: SecretBox.fromKek(kek, 'webhook-secret-seal') }
    : null;
  if (o.pkcs11) {
    backends.push(new Pkcs11KeyBackend({ modulePath: o.pkcs11.modulePath, tokenLabel: o.pkcs11.tokenLabel, pin: await readPinFile(o.pkcs11.pinFile) }));
  }
  // the audit key sits with the CA key files, sealed under a KEK subkey (libs/signer audit-key.ts)
  const signer = new Signer(backends, kek ? { auditKey: { keyDir: o.keyDir, kek } } : {});
  const db = Database.open(o.databaseUrl, o.poolSize ?? 10, { contextCacheTtlMs: o.contextCacheTtlMs });
  const clock = o.clock ?? systemClock;
  const repository = new PublicRepository(db, o.publishDir, clock);
  const mailer = o.smtpUrl ? new SmtpMailer(o.smtpUrl, o.mailFrom ?? 'Anchorage <no-reply@anchorage.invalid>') : new UnconfiguredMailer();
  const outbound = new OutboundGuard({ allowInsecure: o.endpointCheckInsecure === true, log: o.outboundLog });
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
    async close() {
      await mailer.close();
      await signer.close();
      await db.close();
    },
  };
}
