-- 0036_notice_from_receipt.sql: an operator's appeal window, and the life of the code on the
-- report, count from the later of the end of the visit as the tablet recorded it and the
-- report's arrival at the server (greatest(ended_at, submitted_at)), no longer from the end
-- of the visit alone: a tablet that synced days later, or a visit dated back, no longer
-- shortens or removes the operator's window, nor hands over a code that expired on arrival.
-- Imported inspections carry the source's own dates in both columns, so their windows are
-- what they were.
--
-- The statements (src/store/statements.c), public_grade() and public_grade_differs() use the
-- same expression; this index serves the last.

DROP INDEX IF EXISTS inspection_window_start;
CREATE INDEX inspection_notice_at ON inspection ((greatest(ended_at, submitted_at)))
    WHERE status = 'submitted';
