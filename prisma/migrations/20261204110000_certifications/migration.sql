-- Certifications and endorsements of member apps (udap.org "UDAP Certifications and Endorsements for
-- Client Applications"; UDAP STU2 §7.4.1 template). See docs/certifications.md.

-- A certifier's certificate: RSA, an https SAN URI (its iss), no endpoint (libs/contracts LEAF_PROFILE_RULES).
ALTER TABLE "certificate" DROP CONSTRAINT "certificate_profile_check";
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_profile_check"
  CHECK ("profile" IN ('udap-client', 'udap-server', 'udap-idp', 'udap-certifier'));

-- What a community certifies: the claims every certification of the template carries (name, URIs, logo,
-- description) and what it may grant (grant types, scopes, response types, exchange purposes).
CREATE TABLE "certification_template" (
  "id"                UUID PRIMARY KEY,
  "community_id"      UUID NOT NULL REFERENCES "community"("id"),
  "name"              TEXT NOT NULL CHECK (length("name") BETWEEN 1 AND 200),
  "uris"              TEXT[] NOT NULL CHECK (cardinality("uris") BETWEEN 1 AND 20),
  "logo_uri"          TEXT,
  "description"       TEXT CHECK (length("description") <= 2000),
  "grant_types"       TEXT[] NOT NULL CHECK (cardinality("grant_types") >= 1),
  "scopes"            TEXT[] NOT NULL DEFAULT '{}',
  "response_types"    TEXT[] NOT NULL DEFAULT '{}',
  "exchange_purposes" TEXT[] NOT NULL DEFAULT '{}',
  "is_endorsement"    BOOLEAN NOT NULL DEFAULT false,
  "created_by"        TEXT NOT NULL,
  "created_at"        TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  UNIQUE ("community_id", "name")
);

-- One certification JWT of a member app, as the certifier signed it (compact JWS, kept byte for byte).
-- jti is unique per community: the public status endpoint of the community answers by jti and exp.
CREATE TABLE "certification" (
  "id"                        UUID PRIMARY KEY,
  "community_id"              UUID NOT NULL REFERENCES "community"("id"),
  "template_id"               UUID NOT NULL REFERENCES "certification_template"("id"),
  "jti"                       TEXT NOT NULL CHECK (length("jti") BETWEEN 1 AND 256),
  "iss"                       TEXT NOT NULL,
  "sub"                       TEXT NOT NULL,
  "organization_id"           UUID NOT NULL REFERENCES "organization"("id"),
  "certifier_certificate_id"  UUID NOT NULL REFERENCES "certificate"("id"),
  "certifier_serial"          BYTEA NOT NULL,
  "certifier_organization_id" UUID NOT NULL REFERENCES "organization"("id"),
  "iat"                       TIMESTAMPTZ(3) NOT NULL,
  "exp"                       TIMESTAMPTZ(3) NOT NULL,
  "jwt"                       TEXT NOT NULL,
  "status"                    TEXT NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'revoked')),
  "revoked_at"                TIMESTAMPTZ(3),
  "revocation_reason"         TEXT CHECK (length("revocation_reason") BETWEEN 1 AND 1000),
  "revoked_by"                TEXT,
  "created_by"                TEXT NOT NULL,
  "created_at"                TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  UNIQUE ("community_id", "jti"),
  -- udap.org Certifications and Endorsements §1: exp at most 3 years after iat
  CHECK ("exp" > "iat" AND "exp" <= "iat" + interval '3 years'),
  CHECK (("status" = 'revoked') = ("revoked_at" IS NOT NULL AND "revocation_reason" IS NOT NULL AND "revoked_by" IS NOT NULL))
);
CREATE INDEX "certification_organization_idx" ON "certification"("organization_id", "created_at");
CREATE INDEX "certification_certifier_idx" ON "certification"("certifier_organization_id", "created_at");
CREATE INDEX "certification_community_idx" ON "certification"("community_id");
CREATE INDEX "certification_certifier_certificate_idx" ON "certification"("certifier_certificate_id");
