import type { Database } from '@anchorage/db';
import type { Signer } from '@anchorage/signer';
import type { Clock } from './clock';
import type { PublicRepository } from './public-repository';
import type { PublicUrls } from './urls';

/** Everything the use cases need, passed in explicitly (no globals, no environment). */
export interface AuthorityDeps {
  db: Database;
  signer: Signer;
  clock: Clock;
  urls: PublicUrls;
  repository: PublicRepository;
  /** Cryptographic randomness (serials, ids of tokens). */
  random: (bytes: number) => Uint8Array;
  /** Where new CA keys are generated. */
  caKeyBackend: 'software' | 'pkcs11';
}

/** Who is acting: recorded in the audit log and used for allow-lists. */
export interface Actor {
  id: string;
  role: 'operator' | 'subscriber' | 'system';
}
