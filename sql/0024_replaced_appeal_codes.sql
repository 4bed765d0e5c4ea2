-- Codes a clerk replaced. A new appeal code (for a lost report) stops the earlier printed
-- codes from acting for the operator, but each keeps opening the report, read only, so that
-- whoever holds the old report sees that a new code was issued, when and by which office:
-- a clerk who issued a code to someone other than the operator cannot hide it from them.
-- Only the hash is kept, as for every code.

CREATE TABLE appeal_code_replaced (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The report (the inspection chain's root) the code opened.
    inspection_id bigint NOT NULL REFERENCES inspection (id),
    code_hash text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
    replaced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX appeal_code_replaced_hash ON appeal_code_replaced (code_hash);
