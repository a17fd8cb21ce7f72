-- Two-factor recovery codes: ten single-use codes per user, made when TOTP is turned on (or the account is
-- created or reset with it) and shown once. Only a SHA-256 of each is stored (80 random bits per code, bound
-- to the user id), so the table gives nothing to sign in with; a used code keeps its row with its time of use.
CREATE TABLE "recovery_code" (
  "user_id" UUID NOT NULL REFERENCES "app_user"("id") ON DELETE CASCADE,
  "code_hash" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "used_at" TIMESTAMPTZ(3),
  PRIMARY KEY ("user_id", "code_hash")
);
