-- True when an appeal in @state is still open: filed, under review or with a hearing
-- scheduled, not yet withdrawn, rejected or decided. The lifecycle itself is
-- src/domain/appeal.c (appeal_is_open() says the same of its states); this is the one place
-- the SQL says it. A single expression, so PostgreSQL inlines it where it is used, and a
-- condition written with it still matches the partial index appeal_open (sql/0005), whose
-- predicate is the same list.
CREATE OR REPLACE FUNCTION appeal_state_open(state text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT state IN ('filed', 'under_review', 'hearing_scheduled')
$$;
