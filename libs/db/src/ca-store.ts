// Certificate authorities: roots and issuing CAs of the communities. Every write that can change which
// CA issues for a community clears the issuance-context cache.
import type { CaStatus } from '@anchorage/contracts';
import { toCa } from './mappers';
import type { CaRecord } from './records';
import type { StoreScope } from './scope';

/** CAs (see the file comment). */
export class CaStore {
  constructor(private readonly s: StoreScope) {}

  /** Stores a new CA. */
  async create(ca: Omit<CaRecord, 'createdAt' | 'lastCrlNumber' | 'revokedAt' | 'revocationReason'>): Promise<CaRecord> {
    this.s.contexts.clear();
    return toCa(await this.s.prisma.certificateAuthority.create({
      data: { ...ca, subjectDer: Buffer.from(ca.subjectDer), spkiDer: Buffer.from(ca.spkiDer), certificateDer: ca.certificateDer && Buffer.from(ca.certificateDer), csrDer: ca.csrDer && Buffer.from(ca.csrDer) },
    }));
  }

  /** Finds a CA by id. */
  async find(id: string): Promise<CaRecord | null> {
    const r = await this.s.prisma.certificateAuthority.findUnique({ where: { id } });
    return r ? toCa(r) : null;
  }

  /** The CAs of a community, root first. */
  async ofCommunity(communityId: string): Promise<CaRecord[]> {
    const rows = await this.s.prisma.certificateAuthority.findMany({ where: { communityId }, orderBy: [{ role: 'desc' }, { createdAt: 'asc' }] });
    return rows.map(toCa);
  }

  /** Every CA that has a certificate (for serving and CRL refresh). */
  async withCertificate(): Promise<CaRecord[]> {
    const rows = await this.s.prisma.certificateAuthority.findMany({ where: { certificateDer: { not: null } }, orderBy: { createdAt: 'asc' } });
    return rows.map(toCa);
  }

  /** Every CA, oldest first, with a certificate or awaiting one (the start-up check of the keys the platform signs with). */
  async list(): Promise<CaRecord[]> {
    const rows = await this.s.prisma.certificateAuthority.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map(toCa);
  }

  /** Locks a CA row for the rest of the transaction and returns its current state. */
  async lock(id: string): Promise<CaRecord | null> {
    await this.s.sql.query('SELECT 1 AS locked FROM certificate_authority WHERE id = $1::uuid FOR UPDATE', [id]);
    return this.find(id);
  }

  /**
   * Ends an active (or retired) CA: it issues nothing more. With `revocation`, its own certificate is
   * revoked on its parent's CRL from the next CRL on. False when the CA was not in one of `from`.
   */
  async end(id: string, from: CaStatus[], to: 'retired' | 'compromised', revocation: { revokedAt: Date; reason: number; crlEntryDer: Uint8Array } | null): Promise<boolean> {
    this.s.contexts.clear(); // issuance reads the active issuing CA through the context cache
    const r = await this.s.prisma.certificateAuthority.updateMany({
      where: { id, status: { in: from } },
      // revocationPublished: the next parent CRL claims it, and that CRL's revocation notice lists it
      data: { status: to, ...(revocation ? { revokedAt: revocation.revokedAt, revocationReason: revocation.reason, crlEntryDer: Buffer.from(revocation.crlEntryDer), revocationPublished: false } : {}) },
    });
    return r.count === 1;
  }

  /**
   * Installs the certificate of a CA that was awaiting one and makes it active; `subject` replaces
   * the CA's Name when the certificate's subject differs from the requested one.
   */
  async activate(
    id: string, certificateDer: Uint8Array, notBefore: Date, notAfter: Date, parentId: string | null,
    subject?: { der: Uint8Array; text: string },
  ): Promise<CaRecord> {
    this.s.contexts.clear();
    const r = await this.s.prisma.certificateAuthority.update({
      where: { id, status: 'awaiting-certificate' },
      data: {
        status: 'active', certificateDer: Buffer.from(certificateDer), notBefore, notAfter, parentId,
        ...(subject ? { subjectDer: Buffer.from(subject.der), subject: subject.text } : {}),
      },
    });
    return toCa(r);
  }
}
