-- Signed checkpoints of the audit chain head (issue: the audit chain needs an external anchor).
-- The hash chain finds an edited or deleted row, but not the newest rows deleted by someone who can
-- bypass the append-only trigger: what is left still links up. The worker signs the head (sequence
-- number, hash, event count, time) with the audit key (libs/signer audit-key.ts) every few minutes,
-- stores it here and publishes it (publish directory and /pki/audit/checkpoint.jws); verification
-- then requires the event a checkpoint names. The published copies are the external anchor: a
-- superuser can delete these rows too, but not the copies relying parties and auditors kept.
-- No foreign key to audit_event: a checkpoint must outlive the event it names, or truncation would
-- take its evidence with it.
CREATE TABLE "audit_checkpoint" (
  "seq"         BIGINT PRIMARY KEY CHECK ("seq" > 0),
  "event_hash"  TEXT NOT NULL CHECK ("event_hash" ~ '^[0-9a-f]{64}$'),
  "event_count" BIGINT NOT NULL CHECK ("event_count" > 0 AND "event_count" <= "seq"),
  "signed_at"   TIMESTAMPTZ(3) NOT NULL,
  "key_id"      TEXT NOT NULL,
  "jws"         TEXT NOT NULL,
  "created_at"  TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

-- Append-only like audit_event (the same refusal, naming the table).
CREATE FUNCTION "refuse_change_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER "audit_checkpoint_no_update" BEFORE UPDATE OR DELETE ON "audit_checkpoint"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "audit_checkpoint_no_truncate" BEFORE TRUNCATE ON "audit_checkpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change_append_only"();

-- Every API instance serves the newest checkpoint from memory: tell them when one commits.
CREATE FUNCTION "audit_checkpoint_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('anchorage_audit_checkpoint', NEW."seq"::text);
  RETURN NULL;
END $$;
CREATE TRIGGER "audit_checkpoint_notify" AFTER INSERT ON "audit_checkpoint" FOR EACH ROW EXECUTE FUNCTION "audit_checkpoint_notify"();
