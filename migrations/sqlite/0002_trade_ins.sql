-- The consumer trade-in flow: trade-ins and their audit log, shipments and
-- tracking, the IMEI blocklist, payouts, outgoing mail, and offer views.
-- Kept column-for-column identical to ../postgres/0002_trade_ins.sql.

-- The recycling partner is a seller row of kind 'recycler': it never appears
-- in offers, and receives devices nobody buys.
ALTER TABLE sellers ADD COLUMN kind TEXT NOT NULL DEFAULT 'refurbisher' CHECK (kind IN ('refurbisher', 'recycler'));

CREATE TABLE trade_ins (
    id                INTEGER PRIMARY KEY,
    -- Printed on labels and quoted on the phone: short, unambiguous letters.
    reference         TEXT    NOT NULL UNIQUE,
    customer_id       BIGINT  NOT NULL REFERENCES users (id),
    seller_id         BIGINT  NOT NULL REFERENCES sellers (id),
    -- NULL for recycling: no listing bought it.
    listing_id        BIGINT  REFERENCES listings (id),
    variant_id        BIGINT  NOT NULL REFERENCES variants (id),
    grade             TEXT    NOT NULL,
    answer_works      INTEGER NOT NULL CHECK (answer_works IN (0, 1)),
    answer_screen     TEXT    NOT NULL,
    answer_body       TEXT    NOT NULL,
    -- The price locked at acceptance, and what is finally paid.
    price_minor       BIGINT  NOT NULL CHECK (price_minor >= 0),
    final_price_minor BIGINT,
    currency          TEXT    NOT NULL DEFAULT 'EUR',
    recycling         INTEGER NOT NULL DEFAULT 0 CHECK (recycling IN (0, 1)),
    state             TEXT    NOT NULL,
    imei              TEXT,
    serial_number     TEXT,
    address_name      TEXT    NOT NULL,
    address_line1     TEXT    NOT NULL,
    address_line2     TEXT    NOT NULL DEFAULT '',
    postcode          TEXT    NOT NULL,
    city              TEXT    NOT NULL,
    country           TEXT    NOT NULL,
    account_holder    TEXT    NOT NULL DEFAULT '',
    -- The IBAN itself is kept encrypted; the fingerprint (a keyed hash)
    -- lets fraud rules compare IBANs without reading them.
    iban_encrypted    TEXT    NOT NULL DEFAULT '',
    iban_masked       TEXT    NOT NULL DEFAULT '',
    iban_fingerprint  TEXT    NOT NULL DEFAULT '',
    date_of_birth     TEXT    NOT NULL,
    -- One trade-in per confirmation form, however often it is submitted.
    idempotency_key   TEXT    NOT NULL,
    ship_by_at        BIGINT  NOT NULL,
    counter_offer_expires_at BIGINT,
    expiry_warning_sent INTEGER NOT NULL DEFAULT 0 CHECK (expiry_warning_sent IN (0, 1)),
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL,
    UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX trade_ins_customer ON trade_ins (customer_id, created_at);
CREATE INDEX trade_ins_seller_state ON trade_ins (seller_id, state);
CREATE INDEX trade_ins_state_ship_by ON trade_ins (state, ship_by_at);
CREATE INDEX trade_ins_imei ON trade_ins (imei);
CREATE INDEX trade_ins_listing_created ON trade_ins (listing_id, created_at);
CREATE INDEX trade_ins_seller_created ON trade_ins (seller_id, created_at);

-- Every state change, with who made it and why: the audit trail.
CREATE TABLE trade_in_events (
    id           INTEGER PRIMARY KEY,
    trade_in_id  BIGINT  NOT NULL REFERENCES trade_ins (id),
    action       TEXT    NOT NULL,
    from_state   TEXT,
    to_state     TEXT    NOT NULL,
    actor_role   TEXT    NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    reason       TEXT    NOT NULL DEFAULT '',
    at           BIGINT  NOT NULL
);
CREATE INDEX trade_in_events_trade_in ON trade_in_events (trade_in_id, at);

CREATE TABLE shipments (
    id              INTEGER PRIMARY KEY,
    trade_in_id     BIGINT  NOT NULL REFERENCES trade_ins (id),
    direction       TEXT    NOT NULL CHECK (direction IN ('inbound', 'return')),
    carrier         TEXT    NOT NULL,
    tracking_number TEXT    NOT NULL UNIQUE,
    created_at      BIGINT  NOT NULL,
    UNIQUE (trade_in_id, direction)
);

CREATE TABLE tracking_events (
    id          INTEGER PRIMARY KEY,
    shipment_id BIGINT  NOT NULL REFERENCES shipments (id),
    code        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    at          BIGINT  NOT NULL
);
CREATE INDEX tracking_events_shipment ON tracking_events (shipment_id, at);

-- Serial numbers handed out by the built-in carrier.
CREATE TABLE carrier_sequence (
    carrier TEXT   PRIMARY KEY,
    last    BIGINT NOT NULL
);

CREATE TABLE imei_blocklist (
    imei       TEXT    PRIMARY KEY,
    reason     TEXT    NOT NULL,
    added_by   BIGINT  REFERENCES users (id),
    added_at   BIGINT  NOT NULL
);

-- The payout ledger: one payout per trade-in, pending -> sent -> settled.
CREATE TABLE payouts (
    id           INTEGER PRIMARY KEY,
    trade_in_id  BIGINT  NOT NULL UNIQUE REFERENCES trade_ins (id),
    amount_minor BIGINT  NOT NULL CHECK (amount_minor >= 0),
    currency     TEXT    NOT NULL DEFAULT 'EUR',
    iban_masked  TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'settled')),
    provider_ref TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL,
    sent_at      BIGINT,
    settled_at   BIGINT
);

-- Mail waits here until the mailer has sent it (SMTP, or .eml files).
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    to_email    TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    trade_in_id BIGINT  REFERENCES trade_ins (id),
    created_at  BIGINT  NOT NULL,
    sent_at     BIGINT,
    attempts    BIGINT  NOT NULL DEFAULT 0,
    last_error  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);

-- Offers shown to consumers, so conversion can be measured.
CREATE TABLE offer_views (
    id          INTEGER PRIMARY KEY,
    variant_id  BIGINT  NOT NULL REFERENCES variants (id),
    grade       TEXT    NOT NULL,
    seller_id   BIGINT  REFERENCES sellers (id),
    price_minor BIGINT,
    at          BIGINT  NOT NULL
);
CREATE INDEX offer_views_at ON offer_views (at);
