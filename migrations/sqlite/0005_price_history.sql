-- Every change of a refurbisher's price: who, when, old, new, and where it
-- came from (the grid, a CSV import, a recommendation).
-- Kept identical to ../postgres/0005_price_history.sql but for the id column.
CREATE TABLE price_history (
    id          INTEGER PRIMARY KEY,
    seller_id   BIGINT NOT NULL REFERENCES sellers (id),
    variant_id  BIGINT NOT NULL REFERENCES variants (id),
    grade       TEXT   NOT NULL,
    old_price_minor BIGINT,
    new_price_minor BIGINT,
    changed_by  BIGINT REFERENCES users (id),
    source      TEXT   NOT NULL CHECK (source IN ('grid', 'csv', 'recommendation')),
    at          BIGINT NOT NULL
);
CREATE INDEX price_history_cell ON price_history (seller_id, variant_id, grade, at);
