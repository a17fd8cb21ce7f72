import type { Database } from '@anchorage/db';
import type { ApiTokenCache } from './api-token-cache';
import type { Mailer } from '@anchorage/mail';
import type { EndpointProber } from './onboarding/endpoint-prober';
import type { OutboundGuard } from './outbound-http';
import type { WebhookSender } from './notices/webhook-sender';
import type { SecretBox, SigningService } from '@anchorage/signer';
import type { Clock } from './clock';
import type { PublicRepository } from './public-repository';
import type { PublicUrls } from './urls';
import type { CrlPacingOptions } from './crl-pacing';

/** Everything the use cases need, passed in explicitly (no globals, no environment). */
export interface AuthorityDeps {
  db: Database;
  /** The holder of the CA keys and the audit key: the signer process in production (libs/signer remote/client.ts). */
  signer: SigningService;
  clock: Clock;
  urls: PublicUrls;
  repository: PublicRepository;
  /** Cryptographic randomness (serials, ids of tokens). */
  random: (bytes: number) => Uint8Array;
  /** Where new CA keys are generated. */
  caKeyBackend: 'software' | 'pkcs11';
  /** Sign-in secrets; null when no key-encryption key is configured (users cannot sign in then). */
  identityKeys: IdentityKeys | null;
  /** Outgoing e-mail (invitations). */
  mailer: Mailer;
  /** The console's address, the base of links in e-mail (no trailing slash). */
  consoleUrl: string;
  /** Fetches endpoint-control tokens from members' servers. */
  endpointProber: EndpointProber;
  /** Posts signed webhooks to members' servers (expiry notices). */
  webhookSender: WebhookSender;
  /** The rules of every request to an address a member chose (the prober and the sender use it too). */
  outbound: OutboundGuard;
  /** API tokens found live moments ago (used only while token changes are heard; see api-token-cache.ts). */
  apiTokenCache?: ApiTokenCache;
  /** Limits of a conformance check's metadata fetch (conformance/check-endpoint.ts); defaults when absent. */
  conformanceFetch?: { timeoutMs: number; maxBytes: number };
  /** How CRL generation yields a busy machine (crl-pacing.ts); absent: the defaults; false: never pauses. */
  crlPacing?: CrlPacingOptions | false;
}

/** Roles an actor can have: the three user roles, the subscriber of the core API, and the platform itself. */
export type ActorRole = 'operator' | 'auditor' | 'member-admin' | 'subscriber' | 'system';

/** Who is acting: recorded in the audit log and used for allow-lists and authorization. */
export interface Actor {
  id: string;
  role: ActorRole;
  /** The signed-in user, when a person (not an API token or the platform) acts. */
  userId?: string;
  /** A member admin's organization: the only one it may see or act for. */
  organizationId?: string;
  /** An operator user's communities; absent means every community (operator API tokens, the platform). */
  communityIds?: string[];
}

/** The web tier's secrets, derived from its own key (ANCHORAGE_WEB_KEY_FILE; libs/signer subkeys): sign-in and webhook signing. */
export interface IdentityKeys {
  /** HMAC key of access tokens (HS256). */
  sessionMacKey: Uint8Array;
  /** Seals TOTP secrets stored in the database. */
  totpBox: SecretBox;
  /** Seals organizations' webhook HMAC secrets. */
  webhookBox: SecretBox;
}
