-- The daily rollup's two narrower sums, for the reads that need only one
-- side of a segment: the unfiltered dashboard's breakdown by category and
-- brand, by refurbisher, and its 12-week series. A month is then 30 x 15
-- and 30 x 51 rows instead of 30 x 750 in `kpi_daily`. Written by the same
-- pass as `kpi_daily`, for the same days.
CREATE TABLE kpi_daily_category_brand (
    day_ms BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    brand_id BIGINT NOT NULL,
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
    PRIMARY KEY (day_ms, category_id, brand_id)
);

CREATE TABLE kpi_daily_seller (
    day_ms BIGINT NOT NULL,
    seller_id BIGINT NOT NULL,
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
    PRIMARY KEY (day_ms, seller_id)
);

-- A refurbisher's filter reads only its own rows of the full rollup.
CREATE INDEX kpi_daily_seller_day ON kpi_daily (seller_id, day_ms);

-- Existing stored days have no narrower sums yet: forget them, and the next
-- refresh builds all three tables from the source tables.
DELETE FROM kpi_daily;
UPDATE kpi_rollup_state SET built_until_ms = NULL WHERE id = 1;

-- The held payouts the dashboard counts, and the fraud queue (any decision
-- or hold), without scanning every trade-in: nearly all are 'none'.
CREATE INDEX trade_ins_payout_hold ON trade_ins (payout_hold) WHERE payout_hold <> 'none';

-- Median time to pay reads only the index: paid_at picks the period,
-- created_at is the start (replaces the index on paid_at alone).
DROP INDEX trade_ins_paid;
CREATE INDEX trade_ins_paid ON trade_ins (paid_at, created_at);
