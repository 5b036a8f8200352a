-- Foundation: accounts, sessions, catalog, refurbishers and their prices.
-- Kept column-for-column identical to ../postgres/0001_foundation.sql.
-- Times are Unix milliseconds (BIGINT); money is integer minor units;
-- flags are INTEGER 0/1 (sqlx's Any driver cannot decode SQLite BOOLEAN).

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('customer', 'seller', 'ops')),
    display_name  TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL
);

-- Server-side sessions. Only a keyed hash of the cookie's token is stored, so
-- a leaked database does not hand out live sessions.
CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Every login attempt, for rate limiting per account and per client address.
CREATE TABLE login_attempts (
    id         INTEGER PRIMARY KEY,
    email      TEXT    NOT NULL,
    ip         TEXT    NOT NULL,
    succeeded  INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
    at         BIGINT  NOT NULL
);
CREATE INDEX login_attempts_email_at ON login_attempts (email, at);
CREATE INDEX login_attempts_ip_at ON login_attempts (ip, at);

CREATE TABLE categories (
    id       INTEGER PRIMARY KEY,
    slug     TEXT    NOT NULL UNIQUE,
    name     TEXT    NOT NULL,
    position BIGINT  NOT NULL
);

CREATE TABLE brands (
    id   INTEGER PRIMARY KEY,
    slug TEXT    NOT NULL UNIQUE,
    name TEXT    NOT NULL
);

CREATE TABLE models (
    id                 INTEGER PRIMARY KEY,
    category_id        BIGINT  NOT NULL REFERENCES categories (id),
    brand_id           BIGINT  NOT NULL REFERENCES brands (id),
    slug               TEXT    NOT NULL UNIQUE,
    name               TEXT    NOT NULL,
    release_year       BIGINT  NOT NULL,
    launch_price_minor BIGINT  NOT NULL CHECK (launch_price_minor > 0)
);
CREATE INDEX models_category_brand ON models (category_id, brand_id);

-- A variant is what a seller prices: model + storage (+ connectivity).
CREATE TABLE variants (
    id           INTEGER PRIMARY KEY,
    model_id     BIGINT  NOT NULL REFERENCES models (id),
    sku          TEXT    NOT NULL UNIQUE,
    storage_gb   BIGINT  NOT NULL CHECK (storage_gb > 0),
    connectivity TEXT    NOT NULL DEFAULT '',
    position     BIGINT  NOT NULL
);
CREATE INDEX variants_model ON variants (model_id);

CREATE TABLE sellers (
    id             INTEGER PRIMARY KEY,
    user_id        BIGINT  NOT NULL UNIQUE REFERENCES users (id),
    company_name   TEXT    NOT NULL,
    vat_number     TEXT    NOT NULL,
    address_line1  TEXT    NOT NULL,
    address_line2  TEXT    NOT NULL DEFAULT '',
    postcode       TEXT    NOT NULL,
    city           TEXT    NOT NULL,
    country        TEXT    NOT NULL,
    contact_email  TEXT    NOT NULL,
    contact_phone  TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'suspended')),
    paused         INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    weekly_cap     BIGINT,
    -- 0..1000, higher is better; breaks ties between equal offers.
    quality_score  BIGINT  NOT NULL DEFAULT 500,
    status_changed_by BIGINT REFERENCES users (id),
    status_changed_at BIGINT,
    created_at     BIGINT  NOT NULL
);

CREATE TABLE listings (
    id          INTEGER PRIMARY KEY,
    seller_id   BIGINT  NOT NULL REFERENCES sellers (id),
    variant_id  BIGINT  NOT NULL REFERENCES variants (id),
    grade       TEXT    NOT NULL CHECK (grade IN ('functional_flawless', 'functional_good', 'functional_used',
                                                 'functional_cracked', 'not_functional_used', 'not_functional_cracked')),
    price_minor BIGINT  NOT NULL CHECK (price_minor > 0),
    currency    TEXT    NOT NULL DEFAULT 'EUR',
    weekly_cap  BIGINT,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Optimistic concurrency: a save names the version it was based on.
    version     BIGINT  NOT NULL DEFAULT 1,
    price_set_at BIGINT NOT NULL,
    created_at  BIGINT  NOT NULL,
    UNIQUE (seller_id, variant_id, grade)
);
-- The best-offer lookup reads the highest prices for one variant and grade.
CREATE INDEX listings_offer ON listings (variant_id, grade, price_minor DESC);

-- Small facts about the database itself, e.g. which catalog file it holds.
CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
