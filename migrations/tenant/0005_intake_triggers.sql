-- The request audit trail is append-only: rows can be added, never changed or removed.
CREATE TRIGGER `request_audit_no_update` BEFORE UPDATE ON `request_audit`
BEGIN
  SELECT RAISE(ABORT, 'request_audit is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `request_audit_no_delete` BEFORE DELETE ON `request_audit`
BEGIN
  SELECT RAISE(ABORT, 'request_audit is append-only');
END;
--> statement-breakpoint
-- A request's history is not rewritten: only its note can be erased with the personal data, and
-- rows go only when retention deletes the whole request.
CREATE TRIGGER `request_events_no_rewrite`
BEFORE UPDATE OF `request_id`, `at`, `actor`, `from_status`, `to_status`, `tier`, `provider_id`, `reason` ON `request_events`
BEGIN
  SELECT RAISE(ABORT, 'request_events history cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `request_events_note_only_erased` BEFORE UPDATE OF `note_ct` ON `request_events`
WHEN NEW.`note_ct` IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a note can only be erased');
END;
