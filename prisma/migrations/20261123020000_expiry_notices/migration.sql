-- Expiry notices (issue: workers). A daily scan records one notice per certificate and threshold
-- (30/14/7/1 days by default) and per platform-held CA and its own thresholds; the unique keys make
-- a notice exist once even when several workers scan at the same moment, and the notice's delivery
-- job is written with it (outbox). Delivery records what was sent, so a retried job does not send
-- the e-mail again and stops retrying the webhook once it was delivered.
CREATE TABLE "expiry_notice" (
  "id"                   UUID PRIMARY KEY,
  "subject_type"         TEXT NOT NULL CHECK ("subject_type" IN ('certificate', 'ca')),
  "certificate_id"       UUID REFERENCES "certificate"("id"),
  "ca_id"                UUID REFERENCES "certificate_authority"("id"),
  "organization_id"      UUID REFERENCES "organization"("id"),
  "community_id"         UUID NOT NULL REFERENCES "community"("id"),
  "threshold_days"       INTEGER NOT NULL CHECK ("threshold_days" BETWEEN 1 AND 3650),
  "not_after"            TIMESTAMPTZ(3) NOT NULL,
  "created_at"           TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "email_to"             TEXT[],
  "email_sent_at"        TIMESTAMPTZ(3),
  "webhook_url"          TEXT,
  "webhook_delivered_at" TIMESTAMPTZ(3),
  "webhook_attempts"     INTEGER NOT NULL DEFAULT 0,
  "last_error"           TEXT,
  CHECK (("subject_type" = 'certificate') = ("certificate_id" IS NOT NULL AND "organization_id" IS NOT NULL)),
  CHECK (("subject_type" = 'ca') = ("ca_id" IS NOT NULL))
);
CREATE UNIQUE INDEX "expiry_notice_certificate_key" ON "expiry_notice"("certificate_id", "threshold_days") WHERE "certificate_id" IS NOT NULL;
CREATE UNIQUE INDEX "expiry_notice_ca_key" ON "expiry_notice"("ca_id", "threshold_days") WHERE "ca_id" IS NOT NULL;
CREATE INDEX "expiry_notice_organization_idx" ON "expiry_notice"("organization_id", "created_at") WHERE "organization_id" IS NOT NULL;

-- Expired certificates are marked by the scan (the status keeps what happened to the certificate).
ALTER TABLE "certificate" ADD COLUMN "expired_at" TIMESTAMPTZ(3);
CREATE INDEX "certificate_expiring_idx" ON "certificate"("not_after") WHERE "status" = 'issued' AND "expired_at" IS NULL;

-- Where an organization wants its signed webhooks; the HMAC secret is sealed with a subkey of the KEK.
ALTER TABLE "organization" ADD COLUMN "webhook_url" TEXT;
ALTER TABLE "organization" ADD COLUMN "webhook_secret_sealed" TEXT;
ALTER TABLE "organization" ADD CONSTRAINT "organization_webhook_check" CHECK (("webhook_url" IS NULL) = ("webhook_secret_sealed" IS NULL));

-- Wake the workers' outbox relays as soon as jobs commit (they also poll, in case a notification is missed).
CREATE FUNCTION "outbox_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('anchorage_outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER "outbox_notify" AFTER INSERT ON "outbox" FOR EACH STATEMENT EXECUTE FUNCTION "outbox_notify"();
