-- A catalog variant is sold in every market or only some (issue 25: an
-- eSIM-only iPhone is an American model; the SIM-tray one is not sold
-- there). `sold_in` holds the markets' codes separated by spaces, empty
-- for every market (`domain::market::SoldIn`).
-- Kept identical in effect to ../sqlite/0019_sold_in.sql.
ALTER TABLE variants ADD COLUMN sold_in TEXT NOT NULL DEFAULT '';

-- No refurbisher buys a variant in a market where it is not sold, whatever
-- writes the listing. A listing taken out of the market (active = 0) may
-- stay, since trade-ins refer to it.
CREATE FUNCTION listings_sold_in_market() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.active = 1 AND EXISTS (
        SELECT 1 FROM variants v WHERE v.id = NEW.variant_id AND v.sold_in <> ''
            AND strpos(' ' || v.sold_in || ' ', ' ' || NEW.market || ' ') = 0) THEN
        RAISE EXCEPTION 'listings_sold_in_market: the variant is not sold in this market'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER listings_sold_in_market BEFORE INSERT OR UPDATE ON listings
    FOR EACH ROW EXECUTE FUNCTION listings_sold_in_market();
