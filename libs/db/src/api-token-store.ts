// Operator API tokens, stored by hash. The guard looks a token up on every API request, so the lookup
// is a prepared statement on the pool and the last-use write is throttled.
import type { StoreScope } from './scope';

/** Throttle of the token's last-use write: at most one write per token per minute. */
const TOKEN_USE_WRITE_INTERVAL_MS = 60_000;

/** API tokens (see the file comment). */
export class ApiTokenStore {
  constructor(private readonly s: StoreScope) {}

  /** Stores a new operator API token by its hash. */
  async create(t: { id: string; name: string; tokenHash: string }): Promise<void> {
    await this.s.prisma.apiToken.create({ data: t });
  }

  /**
   * Finds a live token by hash and records its use, writing lastUsedAt only when the stored one is
   * older than a minute (a write per request would cost a transaction per request).
   */
  async use(tokenHash: string, now: Date): Promise<{ id: string; name: string } | null> {
    const [t] = await this.s.sql.query<{ id: string; name: string; revoked_at: Date | null; last_used_at: Date | null }>(
      'SELECT id, name, revoked_at, last_used_at FROM api_token WHERE token_hash = $1', [tokenHash], 'anchorage_api_token',
    );
    if (!t || t.revoked_at) return null;
    if (!t.last_used_at || now.getTime() - t.last_used_at.getTime() >= TOKEN_USE_WRITE_INTERVAL_MS || now < t.last_used_at) {
      await this.s.sql.execute('UPDATE api_token SET last_used_at = $2 WHERE id = $1::uuid', [t.id, now]);
    }
    return { id: t.id, name: t.name };
  }
}
