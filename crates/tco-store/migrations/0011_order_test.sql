-- Whether an order is a test order (paid with Type TEST), for the order search's
-- IncludeTestOrders filter; orders stored before it are read from their document.
ALTER TABLE tco_orders ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
UPDATE tco_orders SET test = 1 WHERE document LIKE '%"payment_type":"TEST"%';
