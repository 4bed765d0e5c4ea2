-- A log entry's hash covers seq, prev_hash, occurred_at, kind, subject and payload joined by
-- newlines (docs/api.md, "The public log"). A newline inside a field would let text move
-- from one field to the next with the same hash, so kind and subject may hold none (kind's
-- pattern already excluded it); payload is jsonb, whose text never holds a raw newline.

ALTER TABLE event_pending ADD CONSTRAINT event_pending_subject_one_line
    CHECK (subject !~ '[[:cntrl:]]');
ALTER TABLE event_log ADD CONSTRAINT event_log_fields_one_line
    CHECK (kind !~ '[[:cntrl:]]' AND subject !~ '[[:cntrl:]]');
