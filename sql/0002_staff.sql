-- 0002_staff.sql: staff accounts, their sign-in sessions, and failed sign-ins (rate limits).
--
-- Only what signing in needs is kept about a person: a username, a display name and a role.
-- Passwords are argon2id strings from libsodium's crypto_pwhash_str. Session tokens are
-- never stored, only their SHA-256, so a copy of this table lets nobody sign in.

CREATE TABLE staff_user (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username text NOT NULL CHECK (username ~ '^[A-Za-z0-9._@-]{1,64}$'),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role text NOT NULL
        CHECK (role IN ('admin', 'clerk', 'inspector', 'supervisor', 'hearing_officer')),
    password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
-- Unique regardless of case: "Ann" and "ann" are the same account.
CREATE UNIQUE INDEX staff_user_username_key ON staff_user (lower(username));

-- One row per sign-in. A session ends at expires_at (12 hours after sign-in), after 30
-- minutes without use (last_seen_at, written at most once a minute) or when revoked.
CREATE TABLE staff_session (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32), -- SHA-256 of the token
    user_id bigint NOT NULL REFERENCES staff_user (id),
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX staff_session_user_idx ON staff_session (user_id);
CREATE INDEX staff_session_expires_idx ON staff_session (expires_at);

-- Failed sign-ins, kept for an hour: the username as typed (lower-cased; it may name no
-- account) and the client's address. Nothing else.
CREATE TABLE login_failure (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username text NOT NULL,
    ip text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failure_username_idx ON login_failure (username, at);
CREATE INDEX login_failure_ip_idx ON login_failure (ip, at);
CREATE INDEX login_failure_at_idx ON login_failure (at);
