-- A community's catalog of exchange purposes: the codes its client SAN URIs may carry as their
-- fragment (TEFCA's "#T-TREAT" and the rest), as a JSON array of {code, display, active}. An empty
-- catalog (existing communities) places no rule on fragments.
ALTER TABLE "community" ADD COLUMN "exchange_purposes" JSONB NOT NULL DEFAULT '[]';
