// Trust communities, and the notification that a community's published documents changed.
import { COMMUNITY_CHANGED_CHANNEL } from './channels';
import { listenOn } from './crl-listener';
import { DbConflictError, isUniqueViolation } from './errors';
import { toCommunity } from './mappers';
import type { ExchangePurpose } from '@anchorage/contracts';
import type { CommunityRecord, ListOrder, Page } from './records';
import type { StoreScope } from './scope';

/** Communities (see the file comment). */
export class CommunityStore {
  constructor(private readonly s: StoreScope) {}

  /** Stores a new community (`requireRsaChain` absent: false, `exchangePurposes` absent: none); a duplicate URI is a DbConflictError('community_uri'). */
  async create(c: Omit<CommunityRecord, 'createdAt' | 'requireRsaChain' | 'exchangePurposes'> & { requireRsaChain?: boolean; exchangePurposes?: ExchangePurpose[] }): Promise<CommunityRecord> {
    try {
      const { exchangePurposes, ...rest } = c;
      return toCommunity(await this.s.prisma.community.create({ data: { ...rest, exchangePurposes: [...(exchangePurposes ?? [])] as object[] } }));
    } catch (err) {
      if (isUniqueViolation(err)) throw new DbConflictError('community_uri', `a community with URI ${c.uri} exists already`, { uri: c.uri });
      throw err;
    }
  }

  /** Finds a community by id. */
  async find(id: string): Promise<CommunityRecord | null> {
    const r = await this.s.prisma.community.findUnique({ where: { id } });
    return r ? toCommunity(r) : null;
  }

  /** Lists communities, newest first; `onlyIds` restricts the list to those (an actor's scope). */
  async list(skip = 0, take = 100, onlyIds?: string[], order?: ListOrder): Promise<Page<CommunityRecord>> {
    const where = onlyIds ? { id: { in: onlyIds } } : {};
    const [rows, total] = await Promise.all([
      this.s.prisma.community.findMany({ where, orderBy: (order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { createdAt: 'desc' as const }), skip, take }),
      this.s.prisma.community.count({ where }),
    ]);
    return { items: rows.map(toCommunity), total };
  }

  /** Replaces the community's catalog of exchange purposes; null when the community does not exist. */
  async setExchangePurposes(id: string, purposes: ExchangePurpose[]): Promise<CommunityRecord | null> {
    this.s.contexts.clear(); // issuance reads the catalog through the context cache (another process's copy is at most its lifetime old)
    const rows = await this.s.prisma.community.updateManyAndReturn({ where: { id }, data: { exchangePurposes: purposes as object[] } });
    return rows.length === 1 ? toCommunity(rows[0]) : null;
  }

  /** Sets a community's policy columns; null when it does not exist. */
  async setPolicy(id: string, policy: Pick<CommunityRecord, 'allowedLeafKeyTypes' | 'maxLeafValidityDays' | 'crlLifetimeSeconds' | 'allowGeneratedKeys' | 'requireEndpointControl' | 'autoApproveVerified' | 'requireRsaChain'>): Promise<CommunityRecord | null> {
    this.s.contexts.clear(); // issuance reads the policy through the context cache
    const rows = await this.s.prisma.community.updateManyAndReturn({ where: { id }, data: { ...policy } });
    return rows.length === 1 ? toCommunity(rows[0]) : null;
  }

  /** Tells every listening process that what `communityId` publishes changed (a statement of its own). */
  async notifyChanged(communityId: string): Promise<void> {
    await this.s.sql.query('SELECT pg_notify($1, $2)', [COMMUNITY_CHANGED_CHANNEL, communityId]);
  }

  /**
   * Calls `onChange` with the community id whenever any process calls notifyChanged (this one too);
   * resolves to a function that stops. Survives a dropped connection, then calls `onReconnect`.
   */
  onChanged(onChange: (communityId: string) => void, opts: { onReconnect?: () => void; retryMs?: number } = {}): Promise<() => Promise<void>> {
    return listenOn(this.s.pool, COMMUNITY_CHANGED_CHANNEL, (payload) => {
      if (/^[0-9a-f-]{36}$/.test(payload)) onChange(payload);
    }, opts);
  }
}
