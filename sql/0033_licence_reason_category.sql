-- 0033_licence_reason_category.sql: the public reason for a suspension or a revocation.
--
-- A licence action's reason is free text that staff read; the public record shows only its
-- category, one of a fixed list (src/domain/licence.c names them in words), so that a
-- suspended or closed establishment's page can say why without publishing what a clerk typed.
ALTER TABLE licence_action
    ADD COLUMN reason_category text
    CHECK (reason_category IN ('imminent-health-risk', 'pests', 'no-water-or-power',
        'licence-conditions', 'unlicensed', 'owner-request', 'other'));

-- A search word may name a kind of place ("bakery"), as it may a cuisine (the index
-- establishment_cuisine of 0006): the search asks whether any establishment has it.
CREATE INDEX establishment_type_lower ON establishment (lower(establishment_type));
