-- What happened to a refurbisher's orders and listings, kept for the seller
-- API's events feed and its webhooks. A row is written in the transaction
-- of the change it records, without a place in the feed (`seq` NULL);
-- the publishing job gives rows their `seq` one run at a time, in the
-- order they became visible, so a reader paging by `seq` never skips a
-- row that committed late with a lower `id`.
-- Kept identical to ../postgres/0027_seller_events.sql.

CREATE TABLE seller_events (
    id         INTEGER PRIMARY KEY,
    seller_id  BIGINT NOT NULL REFERENCES sellers (id),
    kind       TEXT   NOT NULL,
    -- 'order', 'listing', 'listings' (a bulk change), 'claim' or 'payout'.
    subject    TEXT   NOT NULL,
    subject_id BIGINT NOT NULL,
    -- The event's JSON body, as the feed and the webhooks send it.
    data       TEXT   NOT NULL,
    at         BIGINT NOT NULL,
    seq        BIGINT UNIQUE
);
CREATE INDEX seller_events_feed ON seller_events (seller_id, seq);
CREATE INDEX seller_events_unpublished ON seller_events (id) WHERE seq IS NULL;

-- When a listing last changed, for the API's `updated_since`.
ALTER TABLE listings ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
UPDATE listings SET updated_at = price_set_at;
CREATE INDEX listings_seller_updated ON listings (seller_id, updated_at);
CREATE INDEX trade_ins_seller_updated ON trade_ins (seller_id, updated_at);

-- Where a refurbisher wants its events pushed. `secret` is the signing
-- secret sealed under the app secret (it must be read back to sign);
-- `kinds` is a comma-separated list of event kinds. An endpoint whose
-- deliveries keep failing is disabled (`disabled_at`, with why).
CREATE TABLE webhook_endpoints (
    id              INTEGER PRIMARY KEY,
    seller_id       BIGINT NOT NULL REFERENCES sellers (id),
    url             TEXT   NOT NULL,
    secret          TEXT   NOT NULL,
    kinds           TEXT   NOT NULL,
    created_by      BIGINT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    last_success_at BIGINT,
    disabled_at     BIGINT,
    disabled_reason TEXT   NOT NULL DEFAULT '',
    deleted_at      BIGINT
);
CREATE INDEX webhook_endpoints_seller ON webhook_endpoints (seller_id);

-- One event to one endpoint: tried until it answers 2xx or its attempts
-- run out (about a day); "send again" tries it once more.
CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY,
    endpoint_id  BIGINT NOT NULL REFERENCES webhook_endpoints (id),
    event_id     BIGINT NOT NULL REFERENCES seller_events (id),
    state        TEXT   NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts     BIGINT NOT NULL DEFAULT 0,
    last_status  BIGINT,
    last_error   TEXT   NOT NULL DEFAULT '',
    next_at      BIGINT,
    created_at   BIGINT NOT NULL,
    delivered_at BIGINT,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

-- Every attempt, for the delivery log.
CREATE TABLE webhook_attempts (
    id          INTEGER PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id),
    at          BIGINT NOT NULL,
    status      BIGINT,
    error       TEXT   NOT NULL DEFAULT '',
    duration_ms BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
