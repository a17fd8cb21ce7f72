-- People who sign in to the console and the API (issue: onboarding and the console). Operator API
-- tokens (api_token) stay for the CLI; a user is a person with a password, an optional TOTP second
-- factor (required for operators) and one role.
CREATE TABLE "app_user" (
  "id" UUID PRIMARY KEY,
  -- stored lowercased: one account per address whatever its case
  "email" TEXT NOT NULL UNIQUE CHECK ("email" = lower("email")),
  "display_name" TEXT NOT NULL,
  "role" TEXT NOT NULL CHECK ("role" IN ('operator', 'auditor', 'member-admin')),
  -- a member admin acts for exactly one organization; operators and auditors for none
  "organization_id" UUID REFERENCES "organization"("id"),
  -- argon2id in PHC string form
  "password_hash" TEXT NOT NULL,
  -- the TOTP secret sealed with AES-256-GCM under a key derived from the key-encryption key
  "totp_secret_sealed" TEXT,
  "totp_enabled_at" TIMESTAMPTZ(3),
  -- the last accepted TOTP time step: a code is never accepted twice (RFC 6238 §5.2)
  "totp_last_step" BIGINT,
  "failed_logins" INTEGER NOT NULL DEFAULT 0,
  "locked_until" TIMESTAMPTZ(3),
  "disabled_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "app_user_organization_check" CHECK (("role" = 'member-admin') = ("organization_id" IS NOT NULL)),
  CONSTRAINT "app_user_totp_check" CHECK ("totp_enabled_at" IS NULL OR "totp_secret_sealed" IS NOT NULL)
);
CREATE INDEX "app_user_organization_idx" ON "app_user"("organization_id");

-- Communities an operator runs: an operator acts only there (an operator API token acts everywhere).
CREATE TABLE "operator_community" (
  "user_id" UUID NOT NULL REFERENCES "app_user"("id") ON DELETE CASCADE,
  "community_id" UUID NOT NULL REFERENCES "community"("id"),
  PRIMARY KEY ("user_id", "community_id")
);

-- Sign-in sessions. The refresh token rotates on every use; presenting one that was already
-- rotated away (a stolen copy) ends the whole family. Only SHA-256 hashes of tokens are stored.
CREATE TABLE "user_session" (
  "id" UUID PRIMARY KEY,
  "user_id" UUID NOT NULL REFERENCES "app_user"("id") ON DELETE CASCADE,
  -- every refresh token descending from one sign-in shares the family
  "family_id" UUID NOT NULL,
  "refresh_hash" TEXT NOT NULL UNIQUE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  -- the family's hard end, carried from the sign-in: rotation never extends it
  "family_expires_at" TIMESTAMPTZ(3) NOT NULL,
  "rotated_at" TIMESTAMPTZ(3),
  "revoked_at" TIMESTAMPTZ(3)
);
CREATE INDEX "user_session_family_idx" ON "user_session"("family_id");
CREATE INDEX "user_session_user_idx" ON "user_session"("user_id");

-- An operator who runs every community, present and future (the platform operator); otherwise only
-- those listed in operator_community.
ALTER TABLE "app_user" ADD COLUMN "all_communities" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_all_communities_check" CHECK (NOT "all_communities" OR "role" = 'operator');
