// A community's test kit (docs/test-certificates.md): one row per community, apart from the "ca" table,
// so no reader of a community's CAs can come across a test CA. The published part is stored as JSON.
import type { KeyType } from '@anchorage/contracts';
import { appendAuditEvents } from './audit-store';
import { DbConflictError, isUniqueViolation } from './errors';
import type { AuditInput } from './records';
import type { StoreScope } from './scope';

/** A stored test kit. */
export interface TestKitRecord {
  communityId: string;
  /** 1 when created, +1 per regeneration; the test CAs' CRL number. */
  generation: number;
  keyType: KeyType;
  /** The signer's test keys: the TEST anchor, the TEST issuing CA, the untrusted TEST root. */
  anchorKeyRef: string;
  issuingKeyRef: string;
  untrustedKeyRef: string;
  /** The published kit (its shape belongs to libs/authority test-kit/). */
  content: unknown;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

type Row = Omit<TestKitRecord, 'keyType'> & { keyType: string };
const toRecord = (r: Row): TestKitRecord => ({ ...r, keyType: r.keyType as KeyType });

/** Test kits, one per community. */
export class TestKitStore {
  constructor(private readonly s: StoreScope) {}

  /** The community's test kit, or null. */
  async find(communityId: string): Promise<TestKitRecord | null> {
    const r = await this.s.prisma.testKit.findUnique({ where: { communityId } });
    return r ? toRecord(r) : null;
  }

  /** The communities whose kit lapses (content.validUntil: its leaves and CRLs) before `before`. */
  async lapsingBefore(before: Date): Promise<string[]> {
    const rows = await this.s.sql.query<{ community_id: string }>(
      `SELECT community_id FROM test_kit WHERE (content->>'validUntil')::timestamptz < $1 ORDER BY community_id`, [before],
    );
    return rows.map((r) => r.community_id);
  }

  /** Stores a first kit with its audit event; a community that has one is a DbConflictError('test_kit'). */
  async create(kit: TestKitRecord, event: AuditInput): Promise<TestKitRecord> {
    try {
      const row = await this.s.prisma.testKit.create({ data: { ...kit, content: kit.content as object } });
      await appendAuditEvents(this.s.sql, [event]);
      return toRecord(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DbConflictError('test_kit', `community ${kit.communityId} has a test kit already`);
      throw err;
    }
  }

  /**
   * Replaces the kit of generation `kit.generation - 1` with `kit`, with its audit event; when another
   * regeneration got there first, a DbConflictError('test_kit_generation') and nothing is written.
   */
  async replace(kit: TestKitRecord, event: AuditInput): Promise<TestKitRecord> {
    const { count } = await this.s.prisma.testKit.updateMany({
      where: { communityId: kit.communityId, generation: kit.generation - 1 },
      data: { generation: kit.generation, content: kit.content as object, updatedAt: kit.updatedAt },
    });
    if (count !== 1) throw new DbConflictError('test_kit_generation', `the test kit of community ${kit.communityId} was regenerated meanwhile`);
    await appendAuditEvents(this.s.sql, [event]);
    return kit;
  }
}
