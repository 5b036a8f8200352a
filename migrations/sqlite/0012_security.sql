-- Security hardening (issue 22). Kept identical on SQLite and Postgres.

-- A return label voided before it was used (operations paid the original
-- price instead of sending the device back): the label stops downloading.
ALTER TABLE shipments ADD COLUMN cancelled_at BIGINT;

-- How often a key did something limited (sign-ups from one address, sign-in
-- links for one account): counted under an advisory lock on the key, one
-- row per time (platform::rate_limit). Housekeeping forgets old rows.
CREATE TABLE rate_events (
    id     INTEGER PRIMARY KEY,
    bucket TEXT    NOT NULL,
    key    TEXT    NOT NULL,
    at     BIGINT  NOT NULL
);
CREATE INDEX rate_events_key_at ON rate_events (bucket, key, at);

-- Sign-in links sent by email: the owner's way in when password attempts
-- are held back, and the answer to a sign-up with a known address. Only a
-- hash of the token is kept; a link works once, until it expires.
CREATE TABLE sign_in_links (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users (id),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
