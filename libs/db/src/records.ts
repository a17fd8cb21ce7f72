// Plain records that libs/db hands upward: no Prisma types leave this lib. One file per aggregate
// under records/; this module gathers them, so stores and the package index import them from here.
export type * from './records/common';
export type * from './records/communities';
export type * from './records/cas';
export type * from './records/organizations';
export type * from './records/certificates';
export type * from './records/crls';
export type * from './records/audit';
export type * from './records/identity';
export type * from './records/requests';
export type * from './records/outbox';
export type * from './records/bulk-revocations';
export type * from './records/notices';
export type * from './records/revocation-subscriptions';
export type * from './records/conformance';
