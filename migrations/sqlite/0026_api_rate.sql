-- Requests per seller API token and minute (a fixed window), counted by
-- one upsert per request so every instance counts into the same row.
-- `scope` is the SHA-256 of the token, as for idempotency keys.
-- Kept identical to ../postgres/0026_api_rate.sql.

CREATE TABLE api_rate_windows (
    scope        TEXT   NOT NULL,
    window_start BIGINT NOT NULL,
    requests     BIGINT NOT NULL,
    PRIMARY KEY (scope, window_start)
);
