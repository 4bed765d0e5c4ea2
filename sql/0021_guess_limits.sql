-- 0021_guess_limits.sql: failures counted per client and target, not one shared lockout.
--
-- Limits on guessing an appeal code or a password that an attacker cannot aim at the person
-- the secret belongs to (src/domain/ratelimit.h). Wrong answers are now counted per pair of
-- client network and target, per network and per target, and kept for a day rather than an
-- hour. The ip column of both tables now holds the client network the server counts against:
-- an IPv4 address, or an IPv6 /64 written as "2001:db8:1:2::/64", of the client named by
-- X-Forwarded-For when the direct peer is a trusted proxy. Rows written before this hold the
-- direct peer's address; they age out within a day.

COMMENT ON COLUMN login_failure.ip IS
    'client network: an IPv4 address, or an IPv6 /64 ("2001:db8::/64")';
COMMENT ON COLUMN appeal_code_failure.ip IS
    'client network: an IPv4 address, or an IPv6 /64 ("2001:db8::/64")';

-- A pair's failures and the latest of them: the check before every try.
CREATE INDEX login_failure_pair_idx ON login_failure (username, ip, at);
CREATE INDEX appeal_code_failure_pair ON appeal_code_failure (licence, ip, at);

-- The purge of rows older than a day, on every insert.
CREATE INDEX appeal_code_failure_at ON appeal_code_failure (at);
