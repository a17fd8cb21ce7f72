// One schema per route of the admin API: the shape of its body, of its query parameters and of its
// list filter, checked at the edge (apps/api's validation interceptor) before any handler runs; the
// handlers take the checked values, typed with the types inferred here. Shapes only: types, formats,
// sizes, and which fields go together (one CSR, or a generated key instead); what a value means (a
// reason allowed for a role, a SAN URI bound to an organization) is the authority's to decide, and
// so is much of what is missing: a field the authority asks for by name, saying what it wants, may
// be optional here. A route missing here is refused, and a test fails until it has an entry.
// The schemas live under api-schemas/, one file per resource; this module gathers them (its building
// blocks, in fields.ts and query.ts, stay inside).
export * from './api-schemas/identity';
export * from './api-schemas/communities';
export * from './api-schemas/cas';
export * from './api-schemas/organizations';
export * from './api-schemas/revocation-subscriptions';
export * from './api-schemas/certificates';
export * from './api-schemas/certifications';
export * from './api-schemas/audit';
export * from './api-schemas/reports';
export * from './api-schemas/routes';
export * from './api-schemas/problems';
export type { ListQueryParams } from './api-schemas/query';
