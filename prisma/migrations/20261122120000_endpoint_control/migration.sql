-- Endpoint control (issue: onboarding and the console): proof that a member controls a server SAN
-- URI. The platform issues a token; the member publishes it at <uri>/.well-known/anchorage-endpoint-check;
-- the platform fetches it from there (HTTPS, public addresses only, unless the deployment allows
-- plain HTTP for tests and development). One row per organization and URI: a new check replaces it.
CREATE TABLE "endpoint_check" (
  "organization_id" UUID NOT NULL REFERENCES "organization"("id"),
  "uri" TEXT NOT NULL,
  "token" TEXT NOT NULL,
  "status" TEXT NOT NULL CHECK ("status" IN ('pending', 'verified', 'failed')),
  "requested_by" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "checked_at" TIMESTAMPTZ(3),
  "verified_at" TIMESTAMPTZ(3),
  "last_error" TEXT,
  PRIMARY KEY ("organization_id", "uri"),
  CONSTRAINT "endpoint_check_verified_check" CHECK (("status" = 'verified') = ("verified_at" IS NOT NULL))
);
