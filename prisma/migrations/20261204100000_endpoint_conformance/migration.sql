-- Endpoint conformance monitoring (UDAP trust-community layer, item 2; docs/conformance.md).
--
-- conformance_endpoint  one row per member server SAN URI (a FHIR base URL) of a community: the monitored
--                       set, synced from the live udap-server certificates by the worker's scan, and its
--                       current state. (community_id, base_url) is unique: a SAN URI belongs to one
--                       organization of a community for good (san_binding), so it is monitored once.
-- conformance_check     the append-only history of checks (the scan's and members' on-demand ones),
--                       bounded by the scan's retention (ANCHORAGE_CONFORMANCE_RETENTION_DAYS); an
--                       endpoint's newest check and every check an alert names are kept.
-- conformance_alert     one row per passing -> failing transition (unique on the check that made it), with
--                       its delivery (e-mail, webhook) recorded like an expiry notice's; its delivery job is
--                       written to the outbox in the transaction that records the transition.
CREATE TABLE "conformance_endpoint" (
  "id"                   UUID PRIMARY KEY,
  "community_id"         UUID NOT NULL REFERENCES "community"("id"),
  "organization_id"      UUID NOT NULL REFERENCES "organization"("id"),
  "base_url"             TEXT NOT NULL,
  "status"               TEXT NOT NULL DEFAULT 'unknown' CHECK ("status" IN ('passing', 'failing', 'unknown')),
  "status_since"         TIMESTAMPTZ(3),
  "last_checked_at"      TIMESTAMPTZ(3),
  "last_passing_at"      TIMESTAMPTZ(3),
  "last_check_id"        UUID,
  "consecutive_failures" INTEGER NOT NULL DEFAULT 0 CHECK ("consecutive_failures" >= 0),
  "next_due_at"          TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  -- no live udap-server certificate names it since then; still checked for a grace period (a revoked
  -- certificate's server must show failing), then retired
  "certificates_gone_at" TIMESTAMPTZ(3),
  -- not monitored any more (no live server certificate for the whole grace period); a new one revives it
  "retired_at"           TIMESTAMPTZ(3),
  "created_at"           TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CHECK ("retired_at" IS NULL OR "certificates_gone_at" IS NOT NULL)
);
CREATE UNIQUE INDEX "conformance_endpoint_base_url_key" ON "conformance_endpoint"("community_id", "base_url");
CREATE INDEX "conformance_endpoint_organization_idx" ON "conformance_endpoint"("organization_id");
-- the scan's work list: monitored endpoints by when they are due
CREATE INDEX "conformance_endpoint_due_idx" ON "conformance_endpoint"("next_due_at") WHERE "retired_at" IS NULL;

CREATE TABLE "conformance_check" (
  "id"                UUID PRIMARY KEY,
  "endpoint_id"       UUID NOT NULL REFERENCES "conformance_endpoint"("id"),
  "checked_at"        TIMESTAMPTZ(3) NOT NULL,
  "status"            TEXT NOT NULL CHECK ("status" IN ('passing', 'failing')),
  "trigger"           TEXT NOT NULL CHECK ("trigger" IN ('schedule', 'on-demand')),
  "requested_by"      TEXT NOT NULL,
  -- [{code, severity, section, message, claim?, depth?}]
  "findings"          JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof("findings") = 'array'),
  -- hex serial of the certificate in x5c[0] of signed_metadata, when there was one
  "signer_serial"     TEXT CHECK ("signer_serial" ~ '^[0-9a-f]{1,64}$'),
  -- that certificate, when it is one this platform issued
  "signer_certificate_id" UUID REFERENCES "certificate"("id"),
  "duration_ms"       INTEGER NOT NULL CHECK ("duration_ms" >= 0),
  "http_status"       INTEGER CHECK ("http_status" BETWEEN 100 AND 599)
);
CREATE INDEX "conformance_check_endpoint_idx" ON "conformance_check"("endpoint_id", "checked_at");
-- retention deletes by age
CREATE INDEX "conformance_check_checked_at_idx" ON "conformance_check"("checked_at");

ALTER TABLE "conformance_endpoint" ADD CONSTRAINT "conformance_endpoint_last_check_fkey"
  FOREIGN KEY ("last_check_id") REFERENCES "conformance_check"("id");

-- History is append-only: a check is never changed (retention may delete old ones).
CREATE FUNCTION "conformance_check_no_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'conformance_check is append-only';
END $$;
CREATE TRIGGER "conformance_check_no_update" BEFORE UPDATE ON "conformance_check" FOR EACH ROW EXECUTE FUNCTION "conformance_check_no_update"();

CREATE TABLE "conformance_alert" (
  "id"                   UUID PRIMARY KEY,
  "endpoint_id"          UUID NOT NULL REFERENCES "conformance_endpoint"("id"),
  "check_id"             UUID NOT NULL REFERENCES "conformance_check"("id"),
  "organization_id"      UUID NOT NULL REFERENCES "organization"("id"),
  "community_id"         UUID NOT NULL REFERENCES "community"("id"),
  "base_url"             TEXT NOT NULL,
  -- the error codes of the failing check
  "codes"                TEXT[] NOT NULL,
  "last_passing_at"      TIMESTAMPTZ(3),
  "created_at"           TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "email_to"             TEXT[] NOT NULL DEFAULT '{}',
  "email_sent_at"        TIMESTAMPTZ(3),
  "webhook_url"          TEXT,
  "webhook_delivered_at" TIMESTAMPTZ(3),
  "webhook_attempts"     INTEGER NOT NULL DEFAULT 0,
  "last_error"           TEXT
);
CREATE UNIQUE INDEX "conformance_alert_check_key" ON "conformance_alert"("check_id");
CREATE INDEX "conformance_alert_organization_idx" ON "conformance_alert"("organization_id", "created_at");
CREATE INDEX "conformance_alert_community_idx" ON "conformance_alert"("community_id", "created_at");
