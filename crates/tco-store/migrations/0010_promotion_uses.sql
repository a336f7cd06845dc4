-- How many orders each promotion discounted, counted in the order's transaction so that racing
-- orders cannot take a promotion past its MaximumOrdersNumber.
ALTER TABLE tco_promotions ADD COLUMN orders_used INTEGER NOT NULL DEFAULT 0;
