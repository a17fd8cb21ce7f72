// Certifications per app (its client URI, sub) or per organization (the certified app's, the
// certifier's, or either), and a community's templates: reads, scoped by the caller's filter.
import type { CertificationFilter, CertificationRecord, CertificationTemplateRecord, ListOrder, Page } from '@anchorage/db';
import type { AuthorityDeps } from '../deps';

/** Lists certifications, newest first unless `order` says otherwise. */
export function listCertifications(
  deps: Pick<AuthorityDeps, 'db'>, filter: CertificationFilter, skip = 0, take = 100, order?: ListOrder,
): Promise<Page<CertificationRecord>> {
  return deps.db.certifications.list(filter, skip, take, order);
}

/** Lists a community's certification templates, oldest first. */
export function listCertificationTemplates(deps: Pick<AuthorityDeps, 'db'>, communityId: string, skip = 0, take = 100): Promise<Page<CertificationTemplateRecord>> {
  return deps.db.certifications.templatesOf(communityId, skip, take);
}
