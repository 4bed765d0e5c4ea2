-- 0035_corrective_actions.sql: a cited violation may carry the day by which it must be
-- corrected (a corrective action). The inspector sets it on the tablet; it is printed on the
-- operator's report, shown in the staff view of the inspection, and puts a follow-up visit
-- on the inspector's due list (reason "followup", due that day) until a later inspection of
-- the establishment is submitted. It is not on the public record: the public sees what was
-- found, not the terms given to the operator.
ALTER TABLE violation ADD COLUMN correct_by date;
-- A violation corrected on site has nothing left to correct by a date.
ALTER TABLE violation ADD CONSTRAINT violation_correct_by_not_corrected
    CHECK (correct_by IS NULL OR NOT corrected_on_site);
