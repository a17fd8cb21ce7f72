-- The audit list (console, GET /api/v1/audit/events with range/sort/filter) at 100k+ events: sorted by the
-- event's time (and its date-range filter), and filtered by actor, each an index walk that stops after a page
-- instead of a sort of the whole log. Newest first by seq uses the primary key; one subject, audit_event_subject_idx.
CREATE INDEX "audit_event_at_idx" ON "audit_event"("at", "seq");
CREATE INDEX "audit_event_actor_idx" ON "audit_event"("actor", "seq");
