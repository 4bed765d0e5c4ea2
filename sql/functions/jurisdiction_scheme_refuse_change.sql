-- Triggers jurisdiction_scheme_immutable and jurisdiction_scheme_no_truncate: an assignment of
-- a scheme to a jurisdiction decides how inspections from its date on are graded, and is
-- public: it never changes and is never deleted. A further move is a new assignment.
CREATE OR REPLACE FUNCTION jurisdiction_scheme_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'scheme assignments are never changed or deleted; assign again from a later date'
        USING ERRCODE = 'P0001';
END $$;
