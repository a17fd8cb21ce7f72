-- Workers (issue: CRL freshness, expiry notices and bulk revocation on BullMQ).
--
-- Transactional outbox: a state change and the job it implies are written in one transaction; a
-- relay in the worker moves rows into BullMQ. Redis being down never fails or loses the change.
-- job_id derives from the subject (e.g. bulk-revoke:<id>), so the same job is never queued twice;
-- completed_at is set by the processor, and a row relayed but never completed (Redis lost it) is
-- relayed again.
CREATE TABLE "outbox" (
  "id"           UUID PRIMARY KEY,
  "job_id"       TEXT NOT NULL UNIQUE,
  "queue"        TEXT NOT NULL,
  "name"         TEXT NOT NULL,
  "payload"      JSONB NOT NULL,
  "created_at"   TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "relayed_at"   TIMESTAMPTZ(3),
  "relay_count"  INTEGER NOT NULL DEFAULT 0,
  "completed_at" TIMESTAMPTZ(3),
  "last_error"   TEXT,
  CHECK ("completed_at" IS NULL OR "relayed_at" IS NOT NULL)
);
CREATE INDEX "outbox_unrelayed_idx" ON "outbox"("created_at") WHERE "relayed_at" IS NULL;
CREATE INDEX "outbox_incomplete_idx" ON "outbox"("relayed_at") WHERE "relayed_at" IS NOT NULL AND "completed_at" IS NULL;

-- Bulk revocation of everything an organization (suspended) or an issuing CA (retired, compromised)
-- holds. Progress is committed with each batch, so a crashed worker resumes where it stopped; each
-- certificate is revoked by one conditional UPDATE, so never twice.
CREATE TABLE "bulk_revocation" (
  "id"              UUID PRIMARY KEY,
  "community_id"    UUID NOT NULL REFERENCES "community"("id"),
  "organization_id" UUID REFERENCES "organization"("id"),
  "ca_id"           UUID REFERENCES "certificate_authority"("id"),
  "reason"          INTEGER NOT NULL CHECK ("reason" IN (1, 2, 3, 4, 5, 9)),
  "cause"           TEXT NOT NULL CHECK ("cause" IN ('organization-suspended', 'ca-retired', 'ca-compromised')),
  "status"          TEXT NOT NULL CHECK ("status" IN ('queued', 'running', 'completed', 'failed')),
  "total"           INTEGER,
  "revoked"         INTEGER NOT NULL DEFAULT 0,
  "batches"         INTEGER NOT NULL DEFAULT 0,
  "crl_numbers"     JSONB NOT NULL DEFAULT '{}',
  "requested_by"    TEXT NOT NULL,
  "created_at"      TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "started_at"      TIMESTAMPTZ(3),
  "finished_at"     TIMESTAMPTZ(3),
  "last_error"      TEXT,
  CHECK (("organization_id" IS NULL) <> ("ca_id" IS NULL)),
  CHECK (("cause" = 'organization-suspended') = ("organization_id" IS NOT NULL)),
  CHECK ("status" <> 'completed' OR "finished_at" IS NOT NULL)
);
CREATE INDEX "bulk_revocation_created_idx" ON "bulk_revocation"("created_at");
CREATE INDEX "bulk_revocation_organization_idx" ON "bulk_revocation"("organization_id") WHERE "organization_id" IS NOT NULL;

-- Live certificates of an organization or a CA, found without reading the revoked ones.
CREATE INDEX "certificate_live_org_idx" ON "certificate"("organization_id", "id") WHERE "status" IN ('issued', 'on-hold');
CREATE INDEX "certificate_live_issuer_idx" ON "certificate"("issuer_id", "id") WHERE "status" IN ('issued', 'on-hold');

-- An issuing CA declared compromised stops issuing, like a retired one.
ALTER TABLE "certificate_authority" DROP CONSTRAINT "certificate_authority_status_check";
ALTER TABLE "certificate_authority" ADD CONSTRAINT "certificate_authority_status_check"
  CHECK ("status" IN ('awaiting-certificate', 'active', 'retired', 'compromised'));

-- A retired or compromised issuing CA's own certificate is revoked on its parent's CRL: the entry is
-- encoded once at revocation, like a leaf's (RFC 5280 §5.1.2.6), and appended by every later CRL
-- of the parent.
ALTER TABLE "certificate_authority" ADD COLUMN "revoked_at" TIMESTAMPTZ(3);
ALTER TABLE "certificate_authority" ADD COLUMN "revocation_reason" INTEGER;
ALTER TABLE "certificate_authority" ADD COLUMN "crl_entry_der" BYTEA;
ALTER TABLE "certificate_authority" ADD CONSTRAINT "certificate_authority_revocation_check"
  CHECK (("revoked_at" IS NULL) = ("crl_entry_der" IS NULL) AND ("revoked_at" IS NULL) = ("revocation_reason" IS NULL)
         AND ("revoked_at" IS NULL OR "status" IN ('retired', 'compromised')));
CREATE INDEX "certificate_authority_revoked_child_idx" ON "certificate_authority"("parent_id") WHERE "crl_entry_der" IS NOT NULL;
