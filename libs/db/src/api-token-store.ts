// Operator API tokens, stored by hash. The guard looks a token up on every API request, so the lookup
// is a prepared statement on the pool and the last-use write is throttled.
import { API_TOKEN_CHANGED_CHANNEL } from './channels';
import { listenOn } from './crl-listener';
import type { ApiTokenRecord, ListOrder, Page } from './records';
import type { StoreScope } from './scope';

/** Throttle of the token's last-use write: at most one write per token per minute. */
const TOKEN_USE_WRITE_INTERVAL_MS = 60_000;

/** API tokens (see the file comment). */
export class ApiTokenStore {
  constructor(private readonly s: StoreScope) {}

  /** Stores a new operator API token by its hash. */
  async create(t: { id: string; name: string; tokenHash: string; createdAt?: Date; expiresAt?: Date | null; createdBy?: string | null }): Promise<ApiTokenRecord> {
    return toApiToken(await this.s.prisma.apiToken.create({ data: t }));
  }

  /** Finds a token by id. */
  async find(id: string): Promise<ApiTokenRecord | null> {
    const r = await this.s.prisma.apiToken.findUnique({ where: { id } });
    return r ? toApiToken(r) : null;
  }

  /** Lists tokens, newest first unless `order` says otherwise. */
  async list(skip: number, take: number, order?: ListOrder): Promise<Page<ApiTokenRecord>> {
    const [rows, total] = await Promise.all([
      this.s.prisma.apiToken.findMany({ orderBy: (order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { createdAt: 'desc' as const }), skip, take }),
      this.s.prisma.apiToken.count(),
    ]);
    return { items: rows.map(toApiToken), total };
  }

  /** Revokes a token that is not revoked yet; null when there is no such token or it was revoked already. */
  async revoke(id: string, at: Date, by: string): Promise<ApiTokenRecord | null> {
    const rows = await this.s.prisma.apiToken.updateManyAndReturn({ where: { id, revokedAt: null }, data: { revokedAt: at, revokedBy: by } });
    return rows.length === 1 ? toApiToken(rows[0]) : null;
  }

  /**
   * Finds a live token (not revoked, not expired at `now`) by hash and records its use, writing lastUsedAt only when the stored one is
   * older than a minute (a write per request would cost a transaction per request).
   */
  async use(tokenHash: string, now: Date): Promise<{ id: string; name: string; expiresAt: Date | null } | null> {
    const [t] = await this.s.sql.query<{ id: string; name: string; revoked_at: Date | null; last_used_at: Date | null; expires_at: Date | null }>(
      'SELECT id, name, revoked_at, last_used_at, expires_at FROM api_token WHERE token_hash = $1', [tokenHash], 'anchorage_api_token_v2',
    );
    if (!t || t.revoked_at || (t.expires_at && t.expires_at <= now)) return null;
    if (!t.last_used_at || now.getTime() - t.last_used_at.getTime() >= TOKEN_USE_WRITE_INTERVAL_MS || now < t.last_used_at) {
      await this.s.sql.execute('UPDATE api_token SET last_used_at = $2 WHERE id = $1::uuid', [t.id, now]);
    }
    return { id: t.id, name: t.name, expiresAt: t.expires_at };
  }

  /**
   * Calls `onChange` whenever a token is revoked, re-dated, renamed or deleted, by any process (a trigger
   * announces it at commit); resolves to a function that stops. `onDrop` and `onReconnect` say when the
   * listening connection is lost and back: changes in between are not announced.
   */
  onChanged(onChange: () => void, opts: { onDrop?: () => void; onReconnect?: () => void; retryMs?: number } = {}): Promise<() => Promise<void>> {
    return listenOn(this.s.pool, API_TOKEN_CHANGED_CHANNEL, () => onChange(), opts);
  }
}

function toApiToken(r: { id: string; name: string; createdAt: Date; createdBy: string | null; lastUsedAt: Date | null; expiresAt: Date | null; revokedAt: Date | null; revokedBy: string | null }): ApiTokenRecord {
  return {
    id: r.id, name: r.name, createdAt: r.createdAt, createdBy: r.createdBy, lastUsedAt: r.lastUsedAt, expiresAt: r.expiresAt, revokedAt: r.revokedAt, revokedBy: r.revokedBy,
  };
}
