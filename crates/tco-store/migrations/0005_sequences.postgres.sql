-- PostgreSQL numbers customers, products and orders from sequences: a counter row stays locked
-- until its transaction commits, so every creating transaction waited for the one before to
-- reach the disk; a sequence hands out its next value at once. SQLite, with one writer, keeps
-- the counter rows. Each sequence continues from its counter.
CREATE SEQUENCE tco_customer_reference;
SELECT setval('tco_customer_reference', (SELECT value FROM tco_counters WHERE name = 'customer_reference'));
CREATE SEQUENCE tco_product_id;
SELECT setval('tco_product_id', (SELECT value FROM tco_counters WHERE name = 'product_id'));
CREATE SEQUENCE tco_order_ref_no;
SELECT setval('tco_order_ref_no', (SELECT value FROM tco_counters WHERE name = 'order_ref_no'));
DELETE FROM tco_counters;
