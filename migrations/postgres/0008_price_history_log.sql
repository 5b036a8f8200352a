-- price_history is an append-only log, written only by the statements that
-- have just written the listing a row describes. Its foreign keys checked
-- each row again (three lookups and row locks per row, 1.6 s of a
-- 100,000-row CSV import) and guarded nothing those statements do not.
-- Kept identical to ../sqlite/0008_price_history_log.sql.
ALTER TABLE price_history
    DROP CONSTRAINT price_history_seller_id_fkey,
    DROP CONSTRAINT price_history_variant_id_fkey,
    DROP CONSTRAINT price_history_changed_by_fkey;
