-- Notices of the state changes people wait for (a certificate request submitted, issued or rejected;
-- an organization submitted, approved, rejected, suspended or reinstated): written in the transaction
-- of the change, with the outbox row of its delivery job, so each is e-mailed (and, for the member,
-- posted to the organization's webhook) once.
CREATE TABLE "state_notice" (
  "id"                   UUID PRIMARY KEY,
  "event"                TEXT NOT NULL,
  "audience"             TEXT NOT NULL CHECK ("audience" IN ('member', 'operators')),
  "subject_type"         TEXT NOT NULL CHECK ("subject_type" IN ('certificate-request', 'organization')),
  "subject_id"           UUID NOT NULL,
  "organization_id"      UUID NOT NULL REFERENCES "organization"("id"),
  "community_id"         UUID NOT NULL REFERENCES "community"("id"),
  "data"                 JSONB NOT NULL DEFAULT '{}',
  "created_at"           TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "email_to"             TEXT[] NOT NULL DEFAULT '{}',
  "email_sent_at"        TIMESTAMPTZ(3),
  "webhook_url"          TEXT,
  "webhook_delivered_at" TIMESTAMPTZ(3),
  "webhook_attempts"     INTEGER NOT NULL DEFAULT 0,
  "last_error"           TEXT
);
CREATE INDEX "state_notice_organization_idx" ON "state_notice"("organization_id", "created_at");
