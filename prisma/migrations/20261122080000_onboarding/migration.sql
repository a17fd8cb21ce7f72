-- Onboarding (issue: onboarding and the console). An organization an operator invites starts as a
-- draft, its contact completes and submits the profile, an operator approves (active) or rejects
-- (with a reason; the member may correct and submit again), and may later suspend and reinstate.
-- Organizations created directly by an operator (CLI, API) are active from the start, as before.
ALTER TABLE "organization" ADD COLUMN "status" TEXT NOT NULL DEFAULT 'active'
  CHECK ("status" IN ('draft', 'submitted', 'active', 'rejected', 'suspended'));
-- legal details, identifiers (NPI, OID, LEI, ...), address, contacts and the SAN URIs it asks for
-- (bound to it only on approval): a document the member writes and the operator reviews
ALTER TABLE "organization" ADD COLUMN "profile" JSONB NOT NULL DEFAULT '{}';
-- why it was rejected or suspended
ALTER TABLE "organization" ADD COLUMN "status_reason" TEXT;
ALTER TABLE "organization" ADD COLUMN "submitted_at" TIMESTAMPTZ(3);
ALTER TABLE "organization" ADD COLUMN "reviewed_at" TIMESTAMPTZ(3);
CREATE INDEX "organization_status_idx" ON "organization"("community_id", "status");

-- An invitation of an organization contact by e-mail: a single-use link whose token is stored only
-- as a SHA-256 hash, expiring; accepting it creates the contact's member-admin account.
CREATE TABLE "invitation" (
  "id" UUID PRIMARY KEY,
  "organization_id" UUID NOT NULL REFERENCES "organization"("id"),
  "email" TEXT NOT NULL CHECK ("email" = lower("email")),
  "token_hash" TEXT NOT NULL UNIQUE,
  "invited_by" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "accepted_at" TIMESTAMPTZ(3),
  "accepted_user_id" UUID REFERENCES "app_user"("id"),
  "revoked_at" TIMESTAMPTZ(3),
  CONSTRAINT "invitation_accepted_check" CHECK (("accepted_at" IS NULL) = ("accepted_user_id" IS NULL))
);
CREATE INDEX "invitation_organization_idx" ON "invitation"("organization_id");
