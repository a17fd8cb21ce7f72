-- Community policy for certificate requests (issue: onboarding and the console): require a verified
-- endpoint check of every SAN URI before a udap-server request may be approved, and approve requests
-- automatically when every SAN URI passed endpoint control.
ALTER TABLE "community" ADD COLUMN "require_endpoint_control" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "community" ADD COLUMN "auto_approve_verified" BOOLEAN NOT NULL DEFAULT false;
