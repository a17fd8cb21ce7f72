import type { z } from 'zod';
import { ConfigError } from './config-error';

/** Parses `env` with `schema`, or throws ConfigError naming every bad setting. */
export function parseEnv<S extends z.ZodTypeAny>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return parsed.data;
}

/** The PKCS#11 settings (all three or none; a partial set is a problem), read the same way by every process. */
export function pkcs11Settings(
  e: { ANCHORAGE_PKCS11_MODULE?: string; ANCHORAGE_PKCS11_TOKEN?: string; ANCHORAGE_PKCS11_PIN_FILE?: string },
  problems: string[],
): { modulePath: string; tokenLabel: string; pinFile: string } | null {
  const p11 = [e.ANCHORAGE_PKCS11_MODULE, e.ANCHORAGE_PKCS11_TOKEN, e.ANCHORAGE_PKCS11_PIN_FILE];
  if (p11.some(Boolean) && !p11.every(Boolean)) {
    problems.push('ANCHORAGE_PKCS11_MODULE, ANCHORAGE_PKCS11_TOKEN and ANCHORAGE_PKCS11_PIN_FILE go together: set all three or none');
  }
  return e.ANCHORAGE_PKCS11_MODULE && e.ANCHORAGE_PKCS11_TOKEN && e.ANCHORAGE_PKCS11_PIN_FILE
    ? { modulePath: e.ANCHORAGE_PKCS11_MODULE, tokenLabel: e.ANCHORAGE_PKCS11_TOKEN, pinFile: e.ANCHORAGE_PKCS11_PIN_FILE }
    : null;
}
