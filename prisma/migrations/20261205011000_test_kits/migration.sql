-- A community's test kit (docs/test-certificates.md): a TEST anchor, a TEST issuing CA under it and an
-- untrusted TEST root, whose keys the signer process generated as test keys, and the certificates of
-- the negative cases relying parties must reject. Kept apart from "ca" on purpose: nothing that reads
-- a community's CAs (trust bundle, community document, issuance, conformance trust) can see these.
-- "content" is the published kit (certificates, CRLs, the cases with their known keys); "generation"
-- counts regenerations and is the test CAs' CRL number, so it only grows.
CREATE TABLE "test_kit" (
  "community_id"      UUID PRIMARY KEY REFERENCES "community"("id"),
  "generation"        INTEGER NOT NULL CHECK ("generation" >= 1),
  "key_type"          TEXT NOT NULL,
  "anchor_key_ref"    TEXT NOT NULL UNIQUE,
  "issuing_key_ref"   TEXT NOT NULL UNIQUE,
  "untrusted_key_ref" TEXT NOT NULL UNIQUE,
  "content"           JSONB NOT NULL,
  "created_by"        TEXT NOT NULL,
  "created_at"        TIMESTAMPTZ(3) NOT NULL,
  "updated_at"        TIMESTAMPTZ(3) NOT NULL
);
