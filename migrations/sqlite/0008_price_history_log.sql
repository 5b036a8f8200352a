-- price_history is an append-only log, written only by the statements that
-- have just written the listing a row describes. Its foreign keys checked
-- each row again (three lookups per row of a 100,000-row CSV import) and
-- guarded nothing those statements do not.
-- Kept identical to ../postgres/0008_price_history_log.sql. SQLite cannot
-- drop a constraint, so the table is rebuilt without them; ids are kept.
CREATE TABLE price_history_log (
    id          INTEGER PRIMARY KEY,
    seller_id   BIGINT NOT NULL,
    variant_id  BIGINT NOT NULL,
    grade       TEXT   NOT NULL,
    old_price_minor BIGINT,
    new_price_minor BIGINT,
    changed_by  BIGINT,
    source      TEXT   NOT NULL CHECK (source IN ('grid', 'csv', 'recommendation')),
    at          BIGINT NOT NULL
);
INSERT INTO price_history_log (id, seller_id, variant_id, grade, old_price_minor, new_price_minor, changed_by, source, at)
    SELECT id, seller_id, variant_id, grade, old_price_minor, new_price_minor, changed_by, source, at FROM price_history;
DROP TABLE price_history;
ALTER TABLE price_history_log RENAME TO price_history;
CREATE INDEX price_history_cell ON price_history (seller_id, variant_id, grade, at);
