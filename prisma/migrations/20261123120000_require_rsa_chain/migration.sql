-- Community policy requireRsaChain (relying-party compatibility): when true, the community's CAs must
-- have RSA keys, because node-forge based relying parties (the Node UDAP client library) verify only
-- RSA signatures and reject every chain with an EC CA (docs/issuance.md, "CA key types"). Existing and
-- new communities default to false: EC CA keys stay allowed, with a warning in the community view.
ALTER TABLE "community" ADD COLUMN "require_rsa_chain" BOOLEAN NOT NULL DEFAULT false;
