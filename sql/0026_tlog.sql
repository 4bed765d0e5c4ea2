-- 0026_tlog.sql: a Merkle tree over the event log, stored as tiles, and the checkpoints
-- the server signed.
--
-- Leaf i (from 0) is event_log entry seq = i + 1; its leaf data are the 32 bytes of the
-- entry's chain hash, so a redacted entry keeps its leaf. The tree is RFC 6962's (SHA-256,
-- leaf hash SHA-256(0x00 || data), node SHA-256(0x01 || left || right)), kept as C2SP
-- tlog-tiles of height 8: tile (level, idx) holds the hashes at tree level 8 * level with
-- indexes 256 * idx to 256 * idx + 255, as 32-byte hashes one after the other, fewer while
-- the tile is partial. A full tile never changes; a partial one only grows.
--
-- event_seal() extends the tree in the transaction that seals the entries
-- (tlog_extend()), so the tree always has exactly the sealed entries. The first seal after
-- this migration builds the tree over the entries sealed before it.

CREATE TABLE tlog_tile (
    level smallint NOT NULL CHECK (level BETWEEN 0 AND 7),
    idx bigint NOT NULL CHECK (idx >= 0),
    hashes bytea NOT NULL
        CHECK (length(hashes) % 32 = 0 AND length(hashes) BETWEEN 32 AND 8192),
    PRIMARY KEY (level, idx)
);

-- How many entries the tree has: one row.
CREATE TABLE tlog_state (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    size bigint NOT NULL CHECK (size >= 0)
);
INSERT INTO tlog_state (size) VALUES (0);

-- Checkpoints the server signed (GET /checkpoint), as the signed notes it served, with the
-- verifier key they were signed with: placard verify-log checks the newest.
CREATE TABLE tlog_checkpoint (
    size bigint NOT NULL CHECK (size >= 0),
    vkey text NOT NULL,
    note text NOT NULL,
    signed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (size, vkey)
);

-- A tile only grows: the same level and index, the hashes it had followed by new ones.
-- The function's current definition is sql/functions/tlog_tile_guard.sql.
CREATE FUNCTION tlog_tile_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.level <> OLD.level OR NEW.idx <> OLD.idx
       OR length(NEW.hashes) <= length(OLD.hashes)
       OR substring(NEW.hashes FROM 1 FOR length(OLD.hashes)) <> OLD.hashes THEN
        RAISE EXCEPTION 'a tile of the log''s tree only grows' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER tlog_tile_grows BEFORE UPDATE ON tlog_tile
    FOR EACH ROW EXECUTE FUNCTION tlog_tile_guard();
CREATE TRIGGER tlog_tile_kept BEFORE DELETE ON tlog_tile
    FOR EACH ROW EXECUTE FUNCTION event_log_refuse();
CREATE TRIGGER tlog_tile_no_truncate BEFORE TRUNCATE ON tlog_tile
    FOR EACH STATEMENT EXECUTE FUNCTION event_log_refuse();
CREATE TRIGGER tlog_checkpoint_kept BEFORE UPDATE OR DELETE ON tlog_checkpoint
    FOR EACH ROW EXECUTE FUNCTION event_log_refuse();
CREATE TRIGGER tlog_checkpoint_no_truncate BEFORE TRUNCATE ON tlog_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION event_log_refuse();
