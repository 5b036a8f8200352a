-- A trade-in keeps the warehouse its parcel was addressed to when it was
-- confirmed: a refurbisher that moves its warehouse for a market, or stops
-- buying there, does not redirect parcels already on their way, and a
-- label printed again shows the address the first one did.
-- Kept identical to ../postgres/0020_ship_to.sql.
ALTER TABLE trade_ins ADD COLUMN ship_to_name TEXT NOT NULL DEFAULT '';
ALTER TABLE trade_ins ADD COLUMN ship_to_line1 TEXT NOT NULL DEFAULT '';
ALTER TABLE trade_ins ADD COLUMN ship_to_line2 TEXT NOT NULL DEFAULT '';
ALTER TABLE trade_ins ADD COLUMN ship_to_postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE trade_ins ADD COLUMN ship_to_city TEXT NOT NULL DEFAULT '';
ALTER TABLE trade_ins ADD COLUMN ship_to_country TEXT NOT NULL DEFAULT '';
ALTER TABLE trade_ins ADD COLUMN ship_to_region TEXT NOT NULL DEFAULT '';

-- The trade-ins before this one: the warehouse their labels showed, that
-- of their market, else the company's own address (the recycling partner).
UPDATE trade_ins SET
    ship_to_name = COALESCE((SELECT w.warehouse_name FROM seller_markets w WHERE w.seller_id = trade_ins.seller_id AND w.market = trade_ins.market),
                            (SELECT s.company_name FROM sellers s WHERE s.id = trade_ins.seller_id)),
    ship_to_line1 = COALESCE((SELECT w.address_line1 FROM seller_markets w WHERE w.seller_id = trade_ins.seller_id AND w.market = trade_ins.market),
                             (SELECT s.address_line1 FROM sellers s WHERE s.id = trade_ins.seller_id)),
    ship_to_line2 = COALESCE((SELECT w.address_line2 FROM seller_markets w WHERE w.seller_id = trade_ins.seller_id AND w.market = trade_ins.market),
                             (SELECT s.address_line2 FROM sellers s WHERE s.id = trade_ins.seller_id)),
    ship_to_postcode = COALESCE((SELECT w.postcode FROM seller_markets w WHERE w.seller_id = trade_ins.seller_id AND w.market = trade_ins.market),
                                (SELECT s.postcode FROM sellers s WHERE s.id = trade_ins.seller_id)),
    ship_to_city = COALESCE((SELECT w.city FROM seller_markets w WHERE w.seller_id = trade_ins.seller_id AND w.market = trade_ins.market),
                            (SELECT s.city FROM sellers s WHERE s.id = trade_ins.seller_id)),
    ship_to_country = COALESCE((SELECT w.country FROM seller_markets w WHERE w.seller_id = trade_ins.seller_id AND w.market = trade_ins.market),
                               (SELECT s.country FROM sellers s WHERE s.id = trade_ins.seller_id)),
    ship_to_region = COALESCE((SELECT w.region FROM seller_markets w WHERE w.seller_id = trade_ins.seller_id AND w.market = trade_ins.market), '');
