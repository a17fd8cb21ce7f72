-- Operator API tokens get a lifecycle: an optional expiry set at creation, who created and who revoked
-- them (actor ids, as in the audit log). Existing tokens keep no expiry and no recorded creator.
ALTER TABLE "api_token" ADD COLUMN "expires_at" TIMESTAMPTZ(3);
ALTER TABLE "api_token" ADD COLUMN "created_by" TEXT;
ALTER TABLE "api_token" ADD COLUMN "revoked_by" TEXT;
