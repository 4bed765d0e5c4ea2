-- 0001_foundation.sql: what every later migration stands on.
--
-- Placard keeps establishment-level food-safety records only. Times are timestamptz, in
-- UTC on the wire. Ids are bigint identities, never reused.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- Settings of this deployment (one row): the city's name and public address, for open data.
CREATE TABLE deployment (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    municipality_name text NOT NULL DEFAULT 'Demo City',
    municipality_url text NOT NULL DEFAULT 'http://127.0.0.1:8080/',
    contact_email text NOT NULL DEFAULT 'open-data@example.org'
);
INSERT INTO deployment DEFAULT VALUES;
