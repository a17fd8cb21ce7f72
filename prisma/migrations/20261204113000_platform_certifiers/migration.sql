-- Certifiers whose key the signer process generated and holds (docs/certifications.md): the platform
-- signs certifications with them, through the signer's certification purpose. The key never leaves the
-- signer; this row names it (key_ref) and the udap-certifier certificate that certifies it.
CREATE TABLE "platform_certifier" (
  "id"              UUID PRIMARY KEY,
  "community_id"    UUID NOT NULL REFERENCES "community"("id"),
  "organization_id" UUID NOT NULL REFERENCES "organization"("id"),
  "certificate_id"  UUID NOT NULL UNIQUE REFERENCES "certificate"("id"),
  "key_ref"         TEXT NOT NULL UNIQUE,
  "created_by"      TEXT NOT NULL,
  "created_at"      TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX "platform_certifier_community_idx" ON "platform_certifier"("community_id");
