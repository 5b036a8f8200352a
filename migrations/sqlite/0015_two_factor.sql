-- Two-factor sign-in (issue 24, part 4). Kept identical on SQLite and
-- Postgres but for the id columns.

-- One row per account that has set up, or is setting up, an authenticator
-- app. Secrets are sealed with the application secret (they must be read
-- back to check a code, so they cannot be hashed). `last_step` is the
-- 30-second step of the last code accepted: a code is accepted once only
-- (RFC 6238, section 5.2). Recovery codes just made are kept sealed until
-- their owner says they are saved, so a page without JavaScript can show them.
CREATE TABLE two_factor (
    user_id        BIGINT  PRIMARY KEY REFERENCES users (id),
    secret         TEXT,
    enabled_at     BIGINT,
    last_step      BIGINT  NOT NULL DEFAULT 0,
    pending_secret TEXT,
    pending_at     BIGINT,
    fresh_codes    TEXT,
    fresh_codes_at BIGINT
);

-- Ten single-use codes per account, for when the app is lost. Only an
-- argon2id hash is kept, as for passwords.
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id),
    code_hash  TEXT    NOT NULL,
    used_at    BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- A sign-in half done: the password (or an emailed link) was right and the
-- code is still to come. The browser holds the token in a short cookie.
CREATE TABLE sign_in_challenges (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT    NOT NULL UNIQUE,
    user_id     BIGINT  NOT NULL REFERENCES users (id),
    failures    BIGINT  NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX sign_in_challenges_expires_at ON sign_in_challenges (expires_at);
