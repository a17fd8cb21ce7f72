export { createDatabase, dropDatabase, ensureDatabase } from './admin';
export { createMigratedDatabase, type FreshDatabase } from './fresh-database';
export { migrateDatabase, DEFAULT_MIGRATIONS_DIR } from './migrate';
export { Database, type CertificateFilter, type Page } from './database';
export { CrlGeneration, CRL_PUBLISHED_CHANNEL } from './crl-generation';
export { DbConflictError } from './errors';
export type { IssuanceContextRecord, IssuanceIntentInput } from './issuance-store';
export { AUDIT_GENESIS, auditHash, canonicalJson } from './audit-hash';
export type * from './records';
