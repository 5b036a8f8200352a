-- Refurbisher order handling: when each step happened (for SLA clocks),
-- what inspection found, counter-offers and their proof photos.
-- Kept column-for-column identical to ../postgres/0003_inspection.sql.

ALTER TABLE trade_ins ADD COLUMN received_at BIGINT;
ALTER TABLE trade_ins ADD COLUMN validated_at BIGINT;
ALTER TABLE trade_ins ADD COLUMN paid_at BIGINT;
ALTER TABLE trade_ins ADD COLUMN suspended_reason TEXT NOT NULL DEFAULT '';

CREATE TABLE inspections (
    id            INTEGER PRIMARY KEY,
    trade_in_id   BIGINT  NOT NULL REFERENCES trade_ins (id),
    inspector_id  BIGINT  NOT NULL REFERENCES users (id),
    imei_found    TEXT    NOT NULL DEFAULT '',
    answer_works  INTEGER NOT NULL CHECK (answer_works IN (0, 1)),
    answer_screen TEXT    NOT NULL,
    answer_body   TEXT    NOT NULL,
    grade         TEXT    NOT NULL,
    at            BIGINT  NOT NULL
);
CREATE INDEX inspections_trade_in ON inspections (trade_in_id);

CREATE TABLE counter_offers (
    id           INTEGER PRIMARY KEY,
    trade_in_id  BIGINT  NOT NULL REFERENCES trade_ins (id),
    price_minor  BIGINT  NOT NULL CHECK (price_minor >= 0),
    reasons      TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT '',
    created_by   BIGINT  NOT NULL REFERENCES users (id),
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    answer       TEXT,
    answered_at  BIGINT
);
CREATE INDEX counter_offers_trade_in ON counter_offers (trade_in_id);

-- Proof photos: files under DATA_DIR/photos, stripped of metadata.
CREATE TABLE photos (
    id               INTEGER PRIMARY KEY,
    counter_offer_id BIGINT  NOT NULL REFERENCES counter_offers (id),
    trade_in_id      BIGINT  NOT NULL REFERENCES trade_ins (id),
    file_name        TEXT    NOT NULL UNIQUE,
    content_type     TEXT    NOT NULL,
    size_bytes       BIGINT  NOT NULL,
    created_at       BIGINT  NOT NULL
);
CREATE INDEX photos_counter_offer ON photos (counter_offer_id);
