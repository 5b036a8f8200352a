-- A catalog variant is sold in every market or only some (issue 25: an
-- eSIM-only iPhone is an American model; the SIM-tray one is not sold
-- there). `sold_in` holds the markets' codes separated by spaces, empty
-- for every market (`domain::market::SoldIn`).
-- Kept identical in effect to ../postgres/0019_sold_in.sql.
ALTER TABLE variants ADD COLUMN sold_in TEXT NOT NULL DEFAULT '';

-- No refurbisher buys a variant in a market where it is not sold, whatever
-- writes the listing. A listing taken out of the market (active = 0) may
-- stay, since trade-ins refer to it.
CREATE TRIGGER listings_sold_in_market_insert BEFORE INSERT ON listings
    WHEN NEW.active = 1 AND EXISTS (
        SELECT 1 FROM variants v WHERE v.id = NEW.variant_id AND v.sold_in <> ''
            AND instr(' ' || v.sold_in || ' ', ' ' || NEW.market || ' ') = 0)
BEGIN
    SELECT RAISE(ABORT, 'listings_sold_in_market: the variant is not sold in this market');
END;
CREATE TRIGGER listings_sold_in_market_update BEFORE UPDATE ON listings
    WHEN NEW.active = 1 AND EXISTS (
        SELECT 1 FROM variants v WHERE v.id = NEW.variant_id AND v.sold_in <> ''
            AND instr(' ' || v.sold_in || ' ', ' ' || NEW.market || ' ') = 0)
BEGIN
    SELECT RAISE(ABORT, 'listings_sold_in_market: the variant is not sold in this market');
END;
