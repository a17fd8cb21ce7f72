-- Certificate requests (issue: onboarding and the console): a member admin asks for a certificate
-- for one of its organization's SAN URIs, with a CSR (uploaded, pasted, or built in the browser);
-- an operator approves (the certificate is issued) or rejects with a reason; the member may cancel
-- while it waits. submitted -> approved -> issued, or rejected, or cancelled.
CREATE TABLE "certificate_request" (
  "id" UUID PRIMARY KEY,
  "organization_id" UUID NOT NULL REFERENCES "organization"("id"),
  "profile" TEXT NOT NULL,
  "san_uris" TEXT[] NOT NULL,
  "key_type" TEXT NOT NULL,
  "csr_der" BYTEA NOT NULL,
  -- SHA-256 of the CSR DER: the same CSR submitted twice while the first waits is the same request
  "csr_sha256" TEXT NOT NULL,
  "status" TEXT NOT NULL CHECK ("status" IN ('submitted', 'approved', 'issued', 'rejected', 'cancelled')),
  "reason" TEXT,
  -- the client's idempotency key, per organization
  "client_request_id" TEXT,
  "renewal_of" UUID REFERENCES "certificate"("id"),
  "requested_by" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "decided_by" TEXT,
  "decided_at" TIMESTAMPTZ(3),
  "certificate_id" UUID REFERENCES "certificate"("id"),
  CONSTRAINT "certificate_request_issued_check" CHECK (("status" = 'issued') = ("certificate_id" IS NOT NULL))
);
CREATE UNIQUE INDEX "certificate_request_client_id_key" ON "certificate_request"("organization_id", "client_request_id") WHERE "client_request_id" IS NOT NULL;
-- one waiting request per CSR and organization
CREATE UNIQUE INDEX "certificate_request_waiting_csr_key" ON "certificate_request"("organization_id", "csr_sha256") WHERE "status" IN ('submitted', 'approved');
CREATE INDEX "certificate_request_status_idx" ON "certificate_request"("status", "created_at");
CREATE INDEX "certificate_request_organization_idx" ON "certificate_request"("organization_id", "created_at");
