-- The console shows the history of one certificate, organization, user or CA: find its audit events
-- without reading the whole log.
CREATE INDEX "audit_event_subject_idx" ON "audit_event"("subject_id", "seq");
