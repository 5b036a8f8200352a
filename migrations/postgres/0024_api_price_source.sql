-- Price changes made through the seller API are recorded as such
-- (source 'api'). Kept identical to ../sqlite/0024_api_price_source.sql.
ALTER TABLE price_history DROP CONSTRAINT price_history_source_check;
ALTER TABLE price_history ADD CONSTRAINT price_history_source_check
    CHECK (source IN ('grid', 'csv', 'recommendation', 'api'));
