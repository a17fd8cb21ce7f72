-- The audit chain is linked after the fact by one sequencer (libs/db audit-store.ts linkAuditEvents),
-- so a business transaction only INSERTs its audit rows: no chain lock, no read of the chain head.
--
--   seq        insertion order (BIGSERIAL): a row's place among the rows written, not its place in the chain
--   chain_seq  its place in the hash chain, set once by the sequencer, which links committed rows in seq order
--              after the newest linked one (a row that commits late is linked late, after rows inserted after it)
--   prev_hash, hash  the chain links, set with chain_seq
--   recorded_at  when the row was written, by the database's clock (the event's own `at` comes from the
--              platform's clock): `audit verify` reports rows left unlinked longer than the sequencer's bound
--
-- Every row already in the log was linked in seq order under the old chain lock: its chain_seq is its seq,
-- so signed checkpoints taken before this migration name the same events.
ALTER TABLE "audit_event" ADD COLUMN "chain_seq" BIGINT;
ALTER TABLE "audit_event" ADD COLUMN "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now();
ALTER TABLE "audit_event" ALTER COLUMN "prev_hash" DROP NOT NULL;
ALTER TABLE "audit_event" ALTER COLUMN "hash" DROP NOT NULL;

ALTER TABLE "audit_event" DISABLE TRIGGER "audit_event_no_update";
UPDATE "audit_event" SET "chain_seq" = "seq";
ALTER TABLE "audit_event" ENABLE TRIGGER "audit_event_no_update";

ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_chain_seq_key" UNIQUE ("chain_seq");
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_linked_together" CHECK (
  ("chain_seq" IS NULL AND "prev_hash" IS NULL AND "hash" IS NULL)
  OR ("chain_seq" > 0 AND "prev_hash" ~ '^[0-9a-f]{64}$' AND "hash" ~ '^[0-9a-f]{64}$')
);
-- the sequencer's work list: only the rows not linked yet
CREATE INDEX "audit_event_unlinked_idx" ON "audit_event" ("seq") WHERE "chain_seq" IS NULL;

-- Still append-only: the one change allowed is linking a row, once, leaving what it records untouched.
-- (DELETE and TRUNCATE keep their refusals.)
CREATE OR REPLACE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."chain_seq" IS NULL AND NEW."chain_seq" IS NOT NULL
     AND (NEW."seq", NEW."at", NEW."actor", NEW."action", NEW."subject_type", NEW."subject_id", NEW."data", NEW."recorded_at")
         IS NOT DISTINCT FROM (OLD."seq", OLD."at", OLD."actor", OLD."action", OLD."subject_type", OLD."subject_id", OLD."data", OLD."recorded_at") THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_event is append-only';
END;
$$;
