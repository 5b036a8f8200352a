-- A refurbisher's tokens for the seller API. Only a SHA-256 hash of each
-- token is kept (tokens are 160 random bits, so no slow hash is needed, and
-- the hash stays valid across secret rotations); `prefix` is the token's
-- first characters, for people to tell their tokens apart. `scopes` is
-- space-separated (`listings:read orders:write`).
-- Kept identical to ../postgres/0023_api_tokens.sql.

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    seller_id    BIGINT NOT NULL REFERENCES sellers (id),
    name         TEXT   NOT NULL,
    token_hash   TEXT   NOT NULL UNIQUE,
    prefix       TEXT   NOT NULL,
    scopes       TEXT   NOT NULL,
    created_by   BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    revoked_at   BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_seller ON api_tokens (seller_id, created_at);
