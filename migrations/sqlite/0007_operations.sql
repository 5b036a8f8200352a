-- The operations console: KPI targets, alert rules and the alert inbox,
-- fraud flags and payout holds, customer-care claims, and an audit log of
-- every ops action. Indexes let the KPI queries read one period.
-- Kept identical on SQLite and Postgres but for the id columns.

CREATE INDEX trade_ins_created ON trade_ins (created_at);
CREATE INDEX trade_ins_received ON trade_ins (received_at);
CREATE INDEX trade_ins_validated ON trade_ins (validated_at);
CREATE INDEX trade_ins_paid ON trade_ins (paid_at);
CREATE INDEX trade_ins_iban ON trade_ins (iban_fingerprint);
CREATE INDEX trade_in_events_at ON trade_in_events (at, to_state);
CREATE INDEX inspections_at ON inspections (at);
CREATE INDEX counter_offers_created ON counter_offers (created_at);
CREATE INDEX counter_offers_answered ON counter_offers (answered_at);

-- One target per KPI and period kind (day, week, month), in the KPI's unit.
CREATE TABLE kpi_targets (
    kpi         TEXT   NOT NULL,
    period_kind TEXT   NOT NULL CHECK (period_kind IN ('day', 'week', 'month')),
    target      BIGINT NOT NULL,
    set_by      BIGINT NOT NULL REFERENCES users (id),
    set_at      BIGINT NOT NULL,
    PRIMARY KEY (kpi, period_kind)
);

CREATE TABLE alert_rules (
    rule       TEXT    PRIMARY KEY,
    threshold  BIGINT  NOT NULL,
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    updated_by BIGINT  REFERENCES users (id),
    updated_at BIGINT  NOT NULL
);

-- One row per problem: a rule and what it is about (e.g. seller:12). While
-- an alert is open or acknowledged, the rule firing again only refreshes it.
CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    rule            TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    detail          TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    first_seen_at   BIGINT  NOT NULL,
    last_seen_at    BIGINT  NOT NULL,
    changed_by      BIGINT  REFERENCES users (id),
    changed_at      BIGINT,
    notified_at     BIGINT
);
CREATE INDEX alerts_state ON alerts (state, last_seen_at);
CREATE INDEX alerts_subject ON alerts (rule, subject, state);

CREATE TABLE fraud_flags (
    id          INTEGER PRIMARY KEY,
    trade_in_id BIGINT NOT NULL REFERENCES trade_ins (id),
    rule        TEXT   NOT NULL,
    detail      TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (trade_in_id, rule)
);

-- A flagged trade-in's payout waits for operations: held -> released or blocked.
ALTER TABLE trade_ins ADD COLUMN payout_hold TEXT NOT NULL DEFAULT 'none' CHECK (payout_hold IN ('none', 'held', 'released', 'blocked'));
ALTER TABLE trade_ins ADD COLUMN hold_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE trade_ins ADD COLUMN hold_decided_by BIGINT REFERENCES users (id);
ALTER TABLE trade_ins ADD COLUMN hold_decided_at BIGINT;

CREATE TABLE claims (
    id            INTEGER PRIMARY KEY,
    trade_in_id   BIGINT  NOT NULL REFERENCES trade_ins (id),
    customer_id   BIGINT  NOT NULL REFERENCES users (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('parcel_lost', 'counter_offer_disputed', 'payment_missing')),
    state         TEXT    NOT NULL CHECK (state IN ('open', 'resolved')),
    outcome       TEXT    NOT NULL DEFAULT '',
    resolution    TEXT    NOT NULL DEFAULT '',
    resolved_by   BIGINT  REFERENCES users (id),
    resolved_at   BIGINT,
    created_at    BIGINT  NOT NULL
);
CREATE INDEX claims_state ON claims (state, created_at);
CREATE INDEX claims_trade_in ON claims (trade_in_id);

CREATE TABLE claim_messages (
    id          INTEGER PRIMARY KEY,
    claim_id    BIGINT NOT NULL REFERENCES claims (id),
    author_id   BIGINT NOT NULL REFERENCES users (id),
    author_role TEXT   NOT NULL,
    body        TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX claim_messages_claim ON claim_messages (claim_id, created_at);

-- Every ops action (state changes of trade-ins are in trade_in_events).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    actor_id    BIGINT REFERENCES users (id),
    action      TEXT   NOT NULL,
    trade_in_id BIGINT,
    seller_id   BIGINT,
    user_id     BIGINT,
    detail      TEXT   NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_trade_in ON audit_log (trade_in_id);
CREATE INDEX audit_log_seller ON audit_log (seller_id);
CREATE INDEX audit_log_user ON audit_log (user_id);
