-- 0025_function_files.sql: where the definitions of functions and trigger functions come from.
--
-- Each function has one file, sql/functions/NAME.sql, holding its current definition
-- (CREATE OR REPLACE). placard migrate applies the numbered migrations first, then every
-- function file whose content is not the one recorded here, and records the file's SHA-256.
-- The first run after this migration applies every file: their content is what the
-- migrations up to 0024 left in place, so nothing changes but the record.

CREATE TABLE schema_functions (
    name text PRIMARY KEY,                -- the file's name in sql/functions, e.g. public_grade.sql
    checksum text NOT NULL,               -- SHA-256 of the file as applied, hex
    applied_at timestamptz NOT NULL DEFAULT now()
);
