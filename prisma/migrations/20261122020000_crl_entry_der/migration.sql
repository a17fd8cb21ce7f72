-- Each revoked (or held) certificate stores its revokedCertificates entry DER (RFC 5280 §5.1.2.6),
-- encoded by libs/pki at revocation time, so CRL generation concatenates stored bytes instead of
-- encoding every entry again. Nothing is computed here: rows revoked before this migration keep
-- NULL and are encoded from revoked_at/revocation_reason/invalidity_date, and stored, by the next
-- CRL generation of their CA (libs/authority/src/generate-crl.ts). Hence the CHECK is one-way
-- (set only while revoked or on hold); the application sets it on every revocation.
ALTER TABLE "certificate" ADD COLUMN "crl_entry_der" BYTEA;
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_crl_entry_der_check"
  CHECK ("crl_entry_der" IS NULL OR "status" IN ('revoked', 'on-hold'));
-- Finds the (normally zero) entries still to be encoded, without scanning every revoked row.
CREATE INDEX "certificate_crl_entry_missing_idx" ON "certificate"("issuer_id")
  WHERE "status" IN ('revoked', 'on-hold') AND "crl_entry_der" IS NULL;
-- A CRL's DER is mostly random serials and compresses poorly; skipping pglz on multi-megabyte CRLs
-- saves tens of milliseconds per generation at 100k entries (still stored out of line in TOAST).
ALTER TABLE "crl" ALTER COLUMN "der" SET STORAGE EXTERNAL;
