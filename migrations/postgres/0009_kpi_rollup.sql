-- Daily KPI counts per category, brand and refurbisher (0: none, e.g.
-- recycling), so the operations dashboard sums a few thousand rows instead
-- of scanning a year of trade-ins and offer views. Only whole UTC days
-- before `kpi_rollup_state.built_until_ms` are here; later activity is
-- counted from the source tables. Medians are not additive and are always
-- computed from `trade_ins`.
CREATE TABLE kpi_daily (
    day_ms BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    brand_id BIGINT NOT NULL,
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
    PRIMARY KEY (day_ms, category_id, brand_id, seller_id)
);

-- One row: the end (exclusive) of the last day rolled up, NULL before the
-- first build.
CREATE TABLE kpi_rollup_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    built_until_ms BIGINT
);
INSERT INTO kpi_rollup_state (id, built_until_ms) VALUES (1, NULL);
