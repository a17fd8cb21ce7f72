-- The revision of an organization's submitted profile (issue: approval binds what the operator
-- reviewed). Every submission adds one; approval names the revision the operator was shown and the
-- conditional UPDATE refuses it when the member submitted again meanwhile, so the SAN URIs bound are
-- the ones reviewed. 0: nothing submitted yet.
ALTER TABLE "organization" ADD COLUMN "profile_revision" INTEGER NOT NULL DEFAULT 0 CHECK ("profile_revision" >= 0);
-- a profile submitted before revisions were counted is revision 1
UPDATE "organization" SET "profile_revision" = 1 WHERE "submitted_at" IS NOT NULL;
