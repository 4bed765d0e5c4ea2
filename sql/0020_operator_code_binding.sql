-- The operator's code stays the operator's.
--
-- An appeal stays bound to the code that filed it: appeal.filed_code_hash keeps that code's
-- SHA-256, and it keeps opening the case even after a new code was issued for the report, so
-- a code issued later (by a clerk, for a lost report) reads the case but cannot withdraw the
-- appeal or speak for the operator in it (src/domain/policy.c). Appeals filed before this
-- migration have no filing code recorded: any current code of their report acts in them, as
-- before.
--
-- Every new code is recorded with who issued it, when and why (appeal_code_reissue). The
-- reason is the clerk's own words: it is kept here, where it can be corrected or erased, and
-- never copied into the public log. The operator is shown every reissue on their next visit.

ALTER TABLE appeal ADD COLUMN filed_code_hash text
    CHECK (filed_code_hash IS NULL OR filed_code_hash ~ '^[0-9a-f]{64}$');
CREATE INDEX appeal_filed_code ON appeal (establishment_id, filed_code_hash)
    WHERE filed_code_hash IS NOT NULL;

CREATE TABLE appeal_code_reissue (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The report (the inspection chain's root) the code opens.
    inspection_id bigint NOT NULL REFERENCES inspection (id),
    -- The revision that carries the new code.
    revision_id bigint NOT NULL REFERENCES inspection (id),
    code_hash text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
    issued_at timestamptz NOT NULL DEFAULT now(),
    issued_by bigint NOT NULL REFERENCES staff_user (id),
    reason text CHECK (reason IS NULL OR char_length(reason) BETWEEN 1 AND 500)
);
CREATE INDEX appeal_code_reissue_report ON appeal_code_reissue (inspection_id, issued_at);

-- Codes are looked up by their hash within an establishment's reports.
CREATE INDEX inspection_appeal_code ON inspection (establishment_id, appeal_code_hash)
    WHERE appeal_code_hash IS NOT NULL;
