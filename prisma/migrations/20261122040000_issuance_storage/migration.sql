-- Every issuance reads the SAN URIs bound to the requesting organization; without this index that is
-- a scan of every binding in every community.
CREATE INDEX "san_binding_organization_idx" ON "san_binding"("organization_id", "created_at");

-- The TBS is kept only while a certificate is pending (to sign it, or to finish an interrupted
-- issuance); once signed it is inside "der" and readers take it from there. Keeping both pushed
-- every issued row past the 2 kB TOAST threshold: one extra TOAST insert per issuance, twice the WAL.
ALTER TABLE "certificate" ALTER COLUMN "tbs_der" DROP NOT NULL;
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_tbs_der_check" CHECK ("status" <> 'pending' OR "tbs_der" IS NOT NULL);

-- Most certificates carry no request id: index only those that do (a NULL still costs an entry in a
-- plain unique index, on every insert and every non-HOT update of the row).
ALTER TABLE "certificate" DROP CONSTRAINT "certificate_request_key_key";
CREATE UNIQUE INDEX "certificate_request_key_key" ON "certificate"("request_key") WHERE "request_key" IS NOT NULL;

-- CRL generation reads every revoked entry of a CA in serial order: with the entry DER and not_after
-- in the index it is an index-only scan (sequential leaf pages) instead of one random heap page per
-- entry. Rows revoked since the last vacuum are still read from the heap; the rest never are.
DROP INDEX "certificate_crl_idx";
CREATE INDEX "certificate_crl_idx" ON "certificate"("issuer_id", "serial") INCLUDE ("not_after", "crl_entry_der")
  WHERE "status" IN ('revoked', 'on-hold');
