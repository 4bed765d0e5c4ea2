-- What the operator attaches to an appeal: photos and documents (JPEG, PNG, PDF, told by
-- their first bytes, never by their names), stored like the inspectors' photos: the bytes
-- with their SHA-256, checked here again. They are evidence for the hearing: read by the
-- operator (with the code) and by hearing officers and supervisors who had no part in the
-- inspection, never public, never in the log (the log says only that one was attached, its
-- size and hash). The limits per appeal (count, total size) are the domain's
-- (src/domain/appeal.h); each file's size is bounded here too.
--
-- The hearing calendar and the search of decided appeals read the appeal by its hearing
-- date and by its decision date: an index for each.

CREATE TABLE appeal_attachment (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    appeal_id bigint NOT NULL REFERENCES appeal (id),
    filename text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 200),
    content_type text NOT NULL
        CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    data bytea NOT NULL,
    size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 768000),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    CHECK (size_bytes = length(data)),
    CHECK (sha256 = encode(sha256(data), 'hex'))
);
CREATE INDEX appeal_attachment_appeal ON appeal_attachment (appeal_id, id);

CREATE INDEX appeal_hearing ON appeal (hearing_at) WHERE state = 'hearing_scheduled';
CREATE INDEX appeal_decided ON appeal (decided_at DESC) WHERE decided_at IS NOT NULL;
