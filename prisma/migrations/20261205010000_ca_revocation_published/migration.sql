-- A subordinate CA's revocation (retired or compromised) is claimed by the first parent CRL that lists it,
-- like a certificate's (certificate.revocation_published), so that CRL's revocation notice names it.
-- Existing rows are already on their parent's CRL, or not revoked.
ALTER TABLE "certificate_authority" ADD COLUMN "revocation_published" BOOLEAN NOT NULL DEFAULT true;
