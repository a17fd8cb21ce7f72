import { z } from 'zod';
import { ConfigError } from './config-error';
import { parseEnv, pkcs11Settings } from './env';

/** Settings of the signer process (apps/signer): where its keys are and where it listens. */
export interface SignerConfig {
  mode: 'production' | 'development';
  /** Unix socket it listens on. */
  socketPath: string;
  /** The bearer secret its clients must present. */
  tokenFile: string;
  /** Group (numeric id) given the socket, mode 0660, when its clients run as another user; null: the signer's own. */
  socketGroup: number | null;
  keyDir: string;
  kekFile: string | null;
  pkcs11: { modulePath: string; tokenLabel: string; pinFile: string } | null;
}

const schema = z.object({
  ANCHORAGE_MODE: z.enum(['production', 'development']).default('development'),
  // sun_path holds 108 bytes on Linux
  ANCHORAGE_SIGNER_SOCKET: z.string().min(1).max(100),
  ANCHORAGE_SIGNER_TOKEN_FILE: z.string().min(1),
  ANCHORAGE_SIGNER_SOCKET_GROUP: z.coerce.number().int().min(0).max(4_294_967_294).optional(),
  ANCHORAGE_KEY_DIR: z.string().min(1).default('.data/keys'),
  ANCHORAGE_KEK_FILE: z.string().min(1).optional(),
  ANCHORAGE_PKCS11_MODULE: z.string().min(1).optional(),
  ANCHORAGE_PKCS11_TOKEN: z.string().min(1).optional(),
  ANCHORAGE_PKCS11_PIN_FILE: z.string().min(1).optional(),
});

/** Reads and validates the signer process's settings from `env`. */
export function loadSignerConfig(env: Record<string, string | undefined> = process.env): SignerConfig {
  const e = parseEnv(schema, env);
  const problems: string[] = [];
  const pkcs11 = pkcs11Settings(e, problems);
  if (e.ANCHORAGE_MODE === 'production' && !e.ANCHORAGE_KEK_FILE) {
    problems.push('ANCHORAGE_KEK_FILE: required in production (the key-encryption key of software CA keys and of the audit key)');
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    mode: e.ANCHORAGE_MODE,
    socketPath: e.ANCHORAGE_SIGNER_SOCKET,
    tokenFile: e.ANCHORAGE_SIGNER_TOKEN_FILE,
    socketGroup: e.ANCHORAGE_SIGNER_SOCKET_GROUP ?? null,
    keyDir: e.ANCHORAGE_KEY_DIR,
    kekFile: e.ANCHORAGE_KEK_FILE ?? (e.ANCHORAGE_MODE === 'development' ? '.data/kek' : null),
    pkcs11,
  };
}
