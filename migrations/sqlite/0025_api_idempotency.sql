-- The seller API's idempotency keys (Stripe's semantics): the first answer
-- to a key is kept for 24 hours and replayed for the same request; the
-- primary key makes one request of several racing with a key the one that
-- runs, on any instance. `scope` is the SHA-256 of the token that sent
-- it, so keys never collide across tokens. `status` is NULL while the
-- first request runs.
-- Kept identical to ../postgres/0025_api_idempotency.sql.

CREATE TABLE api_idempotency (
    scope        TEXT   NOT NULL,
    idem_key     TEXT   NOT NULL,
    request_hash TEXT   NOT NULL,
    status       BIGINT,
    content_type TEXT,
    body         TEXT,
    started_at   BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX api_idempotency_started ON api_idempotency (started_at);
