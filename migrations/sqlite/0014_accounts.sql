-- Accounts people expect (issue 24). Kept identical on SQLite and Postgres
-- but for the id column.

-- When the owner proved the address is theirs. Accounts made before
-- addresses were verified count as verified: they have been in use.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
UPDATE users SET email_verified_at = created_at;

-- What the sessions page shows of each session: a handle to name it in a
-- form (never its token), the browser and the address it started from.
-- A session lives 30 days from its start, whatever its use.
ALTER TABLE sessions ADD COLUMN handle TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN client TEXT NOT NULL DEFAULT '';
UPDATE sessions SET handle = substr(token_hash, 1, 24);

-- Emailed one-use links other than sign-in: verify an address, reset a
-- password, confirm a new address. Only a hash of the token is kept.
CREATE TABLE account_links (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users (id),
    purpose     TEXT    NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
    token_hash  TEXT    NOT NULL UNIQUE,
    new_email   TEXT,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE INDEX account_links_user ON account_links (user_id, purpose);
