-- Price changes made through the seller API are recorded as such
-- (source 'api'). Kept identical to ../postgres/0024_api_price_source.sql.
-- SQLite cannot change a CHECK, so the log is rebuilt; ids are kept.
CREATE TABLE price_history_sources (
    id          INTEGER PRIMARY KEY,
    seller_id   BIGINT NOT NULL,
    variant_id  BIGINT NOT NULL,
    grade       TEXT   NOT NULL,
    old_price_minor BIGINT,
    new_price_minor BIGINT,
    changed_by  BIGINT,
    source      TEXT   NOT NULL CHECK (source IN ('grid', 'csv', 'recommendation', 'api')),
    at          BIGINT NOT NULL,
    market      TEXT   NOT NULL DEFAULT 'fr-fr'
);
INSERT INTO price_history_sources (id, seller_id, variant_id, grade, old_price_minor, new_price_minor, changed_by, source, at, market)
    SELECT id, seller_id, variant_id, grade, old_price_minor, new_price_minor, changed_by, source, at, market FROM price_history;
DROP TABLE price_history;
ALTER TABLE price_history_sources RENAME TO price_history;
CREATE INDEX price_history_cell ON price_history (seller_id, variant_id, grade, market, at);
