-- Anchorage initial schema. Authoritative SQL: constraints and triggers here are part of the
-- safety story (unique serials per issuer, SAN URIs bound once per community, append-only audit).

CREATE TABLE "community" (
  "id" UUID PRIMARY KEY,
  "uri" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "allowed_leaf_key_types" TEXT[] NOT NULL,
  "max_leaf_validity_days" INTEGER NOT NULL CHECK ("max_leaf_validity_days" BETWEEN 1 AND 825),
  "crl_lifetime_seconds" INTEGER NOT NULL CHECK ("crl_lifetime_seconds" BETWEEN 3600 AND 2592000),
  "allow_generated_keys" BOOLEAN NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

CREATE TABLE "certificate_authority" (
  "id" UUID PRIMARY KEY,
  "community_id" UUID NOT NULL REFERENCES "community"("id"),
  "role" TEXT NOT NULL CHECK ("role" IN ('root', 'issuing')),
  "status" TEXT NOT NULL CHECK ("status" IN ('awaiting-certificate', 'active', 'retired')),
  "parent_id" UUID REFERENCES "certificate_authority"("id"),
  "subject_der" BYTEA NOT NULL,
  "subject" TEXT NOT NULL,
  "key_type" TEXT NOT NULL,
  "key_ref" TEXT NOT NULL,
  "spki_der" BYTEA NOT NULL,
  "certificate_der" BYTEA,
  "csr_der" BYTEA,
  "not_before" TIMESTAMPTZ(3),
  "not_after" TIMESTAMPTZ(3),
  "last_crl_number" BIGINT NOT NULL DEFAULT 0,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CHECK ("status" = 'awaiting-certificate' OR "certificate_der" IS NOT NULL)
);
CREATE INDEX "certificate_authority_community_idx" ON "certificate_authority"("community_id");

CREATE TABLE "organization" (
  "id" UUID PRIMARY KEY,
  "community_id" UUID NOT NULL REFERENCES "community"("id"),
  "name" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX "organization_community_idx" ON "organization"("community_id");

-- A SAN URI belongs to one organization of a community for good (UDAP registrations are keyed on
-- SAN + community): the primary key forbids a second binding, and no code path deletes one.
CREATE TABLE "san_binding" (
  "community_id" UUID NOT NULL REFERENCES "community"("id"),
  "uri" TEXT NOT NULL,
  "organization_id" UUID NOT NULL REFERENCES "organization"("id"),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("community_id", "uri")
);

CREATE TABLE "certificate" (
  "id" UUID PRIMARY KEY,
  "issuer_id" UUID NOT NULL REFERENCES "certificate_authority"("id"),
  "organization_id" UUID NOT NULL REFERENCES "organization"("id"),
  "serial" BYTEA NOT NULL CHECK (octet_length("serial") BETWEEN 8 AND 20),
  "profile" TEXT NOT NULL CHECK ("profile" IN ('udap-client', 'udap-server', 'udap-idp')),
  "status" TEXT NOT NULL CHECK ("status" IN ('pending', 'issued', 'revoked', 'on-hold')),
  "subject" TEXT NOT NULL,
  "san_uris" TEXT[] NOT NULL,
  "key_type" TEXT NOT NULL,
  "not_before" TIMESTAMPTZ(3) NOT NULL,
  "not_after" TIMESTAMPTZ(3) NOT NULL,
  "tbs_der" BYTEA NOT NULL,
  "der" BYTEA,
  "request_key" TEXT UNIQUE,
  "request_fingerprint" TEXT,
  "requested_by" TEXT NOT NULL,
  "revoked_at" TIMESTAMPTZ(3),
  "revocation_reason" INTEGER CHECK ("revocation_reason" IN (0, 1, 2, 3, 4, 5, 6, 9, 10)),
  "invalidity_date" TIMESTAMPTZ(3),
  -- false while a revocation, hold or release is not yet on a committed CRL
  "revocation_published" BOOLEAN NOT NULL DEFAULT true,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "issued_at" TIMESTAMPTZ(3),
  UNIQUE ("issuer_id", "serial"),
  CHECK ("not_after" > "not_before"),
  CHECK (("status" IN ('revoked', 'on-hold')) = ("revoked_at" IS NOT NULL AND "revocation_reason" IS NOT NULL)),
  CHECK ("status" <> 'on-hold' OR "revocation_reason" = 6),
  CHECK ("status" = 'pending' OR "der" IS NOT NULL)
);
CREATE INDEX "certificate_org_idx" ON "certificate"("organization_id");
-- Feeds CRL generation: only the revoked rows of one issuer, in serial order.
CREATE INDEX "certificate_crl_idx" ON "certificate"("issuer_id", "serial") WHERE "status" IN ('revoked', 'on-hold');
CREATE INDEX "certificate_unpublished_idx" ON "certificate"("issuer_id") WHERE NOT "revocation_published";

CREATE TABLE "crl" (
  "id" UUID PRIMARY KEY,
  "ca_id" UUID NOT NULL REFERENCES "certificate_authority"("id"),
  "crl_number" BIGINT NOT NULL CHECK ("crl_number" > 0),
  "this_update" TIMESTAMPTZ(3) NOT NULL,
  "next_update" TIMESTAMPTZ(3) NOT NULL,
  "entry_count" INTEGER NOT NULL,
  "sha256" TEXT NOT NULL,
  "der" BYTEA NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  UNIQUE ("ca_id", "crl_number"),
  CHECK ("next_update" > "this_update")
);

-- Hash-chained, append-only audit log: each row's hash covers the previous row's hash.
CREATE TABLE "audit_event" (
  "seq" BIGSERIAL PRIMARY KEY,
  "at" TIMESTAMPTZ(3) NOT NULL,
  "actor" TEXT NOT NULL,
  "action" TEXT NOT NULL,
  "subject_type" TEXT NOT NULL,
  "subject_id" TEXT NOT NULL,
  "data" JSONB NOT NULL,
  "prev_hash" TEXT NOT NULL,
  "hash" TEXT NOT NULL UNIQUE
);

CREATE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only';
END;
$$;
CREATE TRIGGER "audit_event_no_update" BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();
CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();

CREATE TABLE "api_token" (
  "id" UUID PRIMARY KEY,
  "name" TEXT NOT NULL,
  "token_hash" TEXT NOT NULL UNIQUE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "last_used_at" TIMESTAMPTZ(3),
  "revoked_at" TIMESTAMPTZ(3)
);
