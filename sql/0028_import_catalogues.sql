-- 0028_import_catalogues.sql: imports cite the codes of a scheme's catalogue.
--
-- opendata_nyc_apply() and opendata_lives_apply() take a third argument, the scoring scheme
-- whose catalogue the imported citations' codes must be in (nyc for NYC's open data, sf100
-- for San Francisco's LIVES feed); a code the catalogue lacks is no longer added to the
-- import scheme's catalogue as if it were one. Their new definitions are in
-- sql/functions/opendata_nyc_apply.sql and opendata_lives_apply.sql; the two-argument ones
-- go, so that no caller can use them by mistake.

DROP FUNCTION IF EXISTS opendata_nyc_apply(bigint, bigint);
DROP FUNCTION IF EXISTS opendata_lives_apply(bigint, bigint);
