-- Markets (issue 25). A listing is priced per variant x grade x market in
-- that market's currency; a trade-in, a price change and an offer shown
-- belong to the market the consumer sold in; a refurbisher chooses the
-- markets it buys in, each with the warehouse its labels go to.
-- Kept column-for-column identical to ../postgres/0017_markets.sql.
--
-- SQLite cannot change a table's UNIQUE constraint, so listings is rebuilt.
-- `Db::migrate` runs SQLite's migrations with foreign keys off (trade-ins
-- reference listings) and checks them all afterwards.
CREATE TABLE listings_by_market (
    id          INTEGER PRIMARY KEY,
    seller_id   BIGINT  NOT NULL REFERENCES sellers (id),
    variant_id  BIGINT  NOT NULL REFERENCES variants (id),
    grade       TEXT    NOT NULL CHECK (grade IN ('functional_flawless', 'functional_good', 'functional_used',
                                                 'functional_cracked', 'not_functional_used', 'not_functional_cracked')),
    market      TEXT    NOT NULL DEFAULT 'fr-fr' CHECK (market IN ('fr-fr', 'de-de', 'es-es', 'it-it', 'en-gb', 'en-us')),
    price_minor BIGINT  NOT NULL CHECK (price_minor > 0),
    -- A price is in its market's currency, whatever writes it.
    currency    TEXT    NOT NULL DEFAULT 'EUR' CHECK (currency = CASE market WHEN 'en-gb' THEN 'GBP' WHEN 'en-us' THEN 'USD' ELSE 'EUR' END),
    weekly_cap  BIGINT,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version     BIGINT  NOT NULL DEFAULT 1,
    price_set_at BIGINT NOT NULL,
    created_at  BIGINT  NOT NULL,
    UNIQUE (seller_id, variant_id, grade, market)
);
INSERT INTO listings_by_market (id, seller_id, variant_id, grade, market, price_minor, currency, weekly_cap, active, version, price_set_at, created_at)
    SELECT id, seller_id, variant_id, grade, 'fr-fr', price_minor, 'EUR', weekly_cap, active, version, price_set_at, created_at FROM listings;
DROP TABLE listings;
ALTER TABLE listings_by_market RENAME TO listings;
CREATE INDEX listings_offer ON listings (variant_id, grade, market, price_minor DESC);

ALTER TABLE trade_ins ADD COLUMN market TEXT NOT NULL DEFAULT 'fr-fr'
    CHECK (market IN ('fr-fr', 'de-de', 'es-es', 'it-it', 'en-gb', 'en-us')
           AND currency = CASE market WHEN 'en-gb' THEN 'GBP' WHEN 'en-us' THEN 'USD' ELSE 'EUR' END);
CREATE INDEX trade_ins_market_created ON trade_ins (market, created_at);
-- A US address's state, an Italian one's province. The account a trade-in
-- pays (iban_encrypted, iban_masked, iban_fingerprint) is the market's
-- rail's: an IBAN, or a UK or US account written as one line
-- (`PayoutAccount::text`).
ALTER TABLE trade_ins ADD COLUMN address_region TEXT NOT NULL DEFAULT '';

ALTER TABLE price_history ADD COLUMN market TEXT NOT NULL DEFAULT 'fr-fr';
DROP INDEX price_history_cell;
CREATE INDEX price_history_cell ON price_history (seller_id, variant_id, grade, market, at);

ALTER TABLE offer_views ADD COLUMN market TEXT NOT NULL DEFAULT 'fr-fr';

-- The market a refurbisher signed up in: an old four-column price file
-- imports into it.
ALTER TABLE sellers ADD COLUMN home_market TEXT NOT NULL DEFAULT 'fr-fr'
    CHECK (home_market IN ('fr-fr', 'de-de', 'es-es', 'it-it', 'en-gb', 'en-us'));

-- The markets a refurbisher buys in, each with the warehouse its labels
-- are addressed to. Within the EU one warehouse may serve several
-- markets; the UK and the US need one in the country (customs), which
-- the service checks against `Market::shares_customs_area`.
CREATE TABLE seller_markets (
    seller_id      BIGINT NOT NULL REFERENCES sellers (id),
    market         TEXT   NOT NULL CHECK (market IN ('fr-fr', 'de-de', 'es-es', 'it-it', 'en-gb', 'en-us')),
    warehouse_name TEXT   NOT NULL,
    address_line1  TEXT   NOT NULL,
    address_line2  TEXT   NOT NULL DEFAULT '',
    postcode       TEXT   NOT NULL,
    city           TEXT   NOT NULL,
    -- A US warehouse's state.
    region         TEXT   NOT NULL DEFAULT '',
    country        TEXT   NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (seller_id, market)
);
-- Every refurbisher so far bought in France, from its own address.
INSERT INTO seller_markets (seller_id, market, warehouse_name, address_line1, address_line2, postcode, city, country, created_at)
    SELECT id, 'fr-fr', company_name, address_line1, address_line2, postcode, city, country, created_at FROM sellers;
