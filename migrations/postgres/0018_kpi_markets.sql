-- The KPI rollup by market (issue: the operations dashboard filters by
-- market and shows money per currency). Every rollup row now holds one
-- market, so its two sums of money (offered_total_minor, paid_total_minor)
-- are in that market's one currency and are never added to another's.
-- Kept identical to ../sqlite/0018_kpi_markets.sql.
--
-- The stored days are sums that can be built again from the source tables,
-- so the three tables are made anew (SQLite cannot add a column to a
-- primary key) and the next refresh rebuilds every day.
DROP TABLE kpi_daily;
DROP TABLE kpi_daily_category_brand;
DROP TABLE kpi_daily_seller;

CREATE TABLE kpi_daily (
    day_ms BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    brand_id BIGINT NOT NULL,
    seller_id BIGINT NOT NULL,
    market TEXT NOT NULL CHECK (market IN ('fr-fr', 'de-de', 'es-es', 'it-it', 'en-gb', 'en-us')),
    offers_shown BIGINT NOT NULL,
    offered_total_minor BIGINT NOT NULL,
    offers_with_price BIGINT NOT NULL,
    accepted BIGINT NOT NULL,
    recycled BIGINT NOT NULL,
    shipped BIGINT NOT NULL,
    returned BIGINT NOT NULL,
    expired BIGINT NOT NULL,
    received BIGINT NOT NULL,
    validated BIGINT NOT NULL,
    inspected BIGINT NOT NULL,
    inspected_within_sla BIGINT NOT NULL,
    counter_offered BIGINT NOT NULL,
    counter_answered BIGINT NOT NULL,
    counter_accepted BIGINT NOT NULL,
    paid BIGINT NOT NULL,
    paid_total_minor BIGINT NOT NULL,
    paid_within_sla BIGINT NOT NULL,
    PRIMARY KEY (day_ms, category_id, brand_id, seller_id, market)
);

CREATE TABLE kpi_daily_category_brand (
    day_ms BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    brand_id BIGINT NOT NULL,
    market TEXT NOT NULL CHECK (market IN ('fr-fr', 'de-de', 'es-es', 'it-it', 'en-gb', 'en-us')),
    offers_shown BIGINT NOT NULL,
    offered_total_minor BIGINT NOT NULL,
    offers_with_price BIGINT NOT NULL,
    accepted BIGINT NOT NULL,
    recycled BIGINT NOT NULL,
    shipped BIGINT NOT NULL,
    returned BIGINT NOT NULL,
    expired BIGINT NOT NULL,
    received BIGINT NOT NULL,
    validated BIGINT NOT NULL,
    inspected BIGINT NOT NULL,
    inspected_within_sla BIGINT NOT NULL,
    counter_offered BIGINT NOT NULL,
    counter_answered BIGINT NOT NULL,
    counter_accepted BIGINT NOT NULL,
    paid BIGINT NOT NULL,
    paid_total_minor BIGINT NOT NULL,
    paid_within_sla BIGINT NOT NULL,
    PRIMARY KEY (day_ms, category_id, brand_id, market)
);

CREATE TABLE kpi_daily_seller (
    day_ms BIGINT NOT NULL,
    seller_id BIGINT NOT NULL,
    market TEXT NOT NULL CHECK (market IN ('fr-fr', 'de-de', 'es-es', 'it-it', 'en-gb', 'en-us')),
    offers_shown BIGINT NOT NULL,
    offered_total_minor BIGINT NOT NULL,
    offers_with_price BIGINT NOT NULL,
    accepted BIGINT NOT NULL,
    recycled BIGINT NOT NULL,
    shipped BIGINT NOT NULL,
    returned BIGINT NOT NULL,
    expired BIGINT NOT NULL,
    received BIGINT NOT NULL,
    validated BIGINT NOT NULL,
    inspected BIGINT NOT NULL,
    inspected_within_sla BIGINT NOT NULL,
    counter_offered BIGINT NOT NULL,
    counter_answered BIGINT NOT NULL,
    counter_accepted BIGINT NOT NULL,
    paid BIGINT NOT NULL,
    paid_total_minor BIGINT NOT NULL,
    paid_within_sla BIGINT NOT NULL,
    PRIMARY KEY (day_ms, seller_id, market)
);

-- A refurbisher's filter reads only its own rows of the full rollup.
CREATE INDEX kpi_daily_seller_day ON kpi_daily (seller_id, day_ms);

UPDATE kpi_rollup_state SET built_until_ms = NULL WHERE id = 1;
