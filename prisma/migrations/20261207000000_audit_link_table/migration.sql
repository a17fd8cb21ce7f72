-- The hash chain's links move out of audit_event into a narrow insert-only table, and the rows waiting to be
-- linked into a one-column queue. Linking used to UPDATE the whole audit row: a new entry in each of its six
-- indexes, the append-only trigger on every row, and a dead row for vacuum (measured ~24 us of PostgreSQL per
-- row in rounds of 1,000; the queue and the link table, 8.7 us). audit_event itself is now never updated.
--
--   audit_link      one row per linked event, written once by the sequencer: the event's seq, its place in the
--                   chain (chain_seq), and the links (prev_hash, hash)
--   audit_unlinked  the seq of every committed event not linked yet: written with the event (the same
--                   statement), deleted by the sequencer in the transaction that links it
CREATE TABLE "audit_link" (
  "seq" BIGINT NOT NULL,
  "chain_seq" BIGINT NOT NULL,
  "prev_hash" TEXT NOT NULL,
  "hash" TEXT NOT NULL,
  CONSTRAINT "audit_link_pkey" PRIMARY KEY ("seq"),
  CONSTRAINT "audit_link_chain_seq_key" UNIQUE ("chain_seq"),
  CONSTRAINT "audit_link_well_formed" CHECK ("chain_seq" > 0 AND "prev_hash" ~ '^[0-9a-f]{64}$' AND "hash" ~ '^[0-9a-f]{64}$')
);
CREATE TABLE "audit_unlinked" (
  "seq" BIGINT NOT NULL,
  CONSTRAINT "audit_unlinked_pkey" PRIMARY KEY ("seq")
);

INSERT INTO "audit_link" ("seq", "chain_seq", "prev_hash", "hash")
  SELECT "seq", "chain_seq", "prev_hash", "hash" FROM "audit_event" WHERE "chain_seq" IS NOT NULL;
INSERT INTO "audit_unlinked" ("seq") SELECT "seq" FROM "audit_event" WHERE "chain_seq" IS NULL;

DROP INDEX "audit_event_unlinked_idx";
ALTER TABLE "audit_event" DROP CONSTRAINT "audit_event_linked_together";
ALTER TABLE "audit_event" DROP CONSTRAINT "audit_event_chain_seq_key";
ALTER TABLE "audit_event" DROP CONSTRAINT "audit_event_hash_key";
ALTER TABLE "audit_event" DROP COLUMN "chain_seq";
ALTER TABLE "audit_event" DROP COLUMN "prev_hash";
ALTER TABLE "audit_event" DROP COLUMN "hash";

-- audit_event is append-only again without exception; audit_link too (a link is never changed or removed)
CREATE OR REPLACE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only';
END;
$$;
CREATE FUNCTION "audit_link_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_link is append-only';
END;
$$;
CREATE TRIGGER "audit_link_no_update" BEFORE UPDATE OR DELETE ON "audit_link"
  FOR EACH ROW EXECUTE FUNCTION "audit_link_append_only"();
CREATE TRIGGER "audit_link_no_truncate" BEFORE TRUNCATE ON "audit_link"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_link_append_only"();
