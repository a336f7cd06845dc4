-- Issue 28: every search filter and sort served by an index, each with the search's order after
-- its filter (so a page is a walk of the index, not a sort), and kept counts of what a merchant
-- has, so that a search with no filter counts without scanning.

-- Customers: by reference (the search's order), after each filter.
DROP INDEX tco_customers_email;
CREATE INDEX tco_customers_merchant ON tco_customers (merchant_code, reference);
CREATE INDEX tco_customers_email ON tco_customers (merchant_code, email_key, reference);
CREATE INDEX tco_customers_phone ON tco_customers (merchant_code, phone, reference);
CREATE INDEX tco_customers_country ON tco_customers (merchant_code, country_code, reference);
CREATE INDEX tco_customers_language ON tco_customers (merchant_code, language, reference);
CREATE INDEX tco_customers_enabled ON tco_customers (merchant_code, enabled, reference);
CREATE INDEX tco_customers_trial ON tco_customers (merchant_code, trial, reference);

-- Subscriptions: newest purchase first, then by reference.
DROP INDEX tco_subscriptions_merchant;
DROP INDEX tco_subscriptions_email;
CREATE INDEX tco_subscriptions_merchant ON tco_subscriptions (merchant_code, purchase_date DESC, reference);
CREATE INDEX tco_subscriptions_email ON tco_subscriptions (merchant_code, email, purchase_date DESC, reference);
CREATE INDEX tco_subscriptions_owner ON tco_subscriptions (merchant_code, customer_reference, purchase_date DESC, reference);
CREATE INDEX tco_subscriptions_enabled ON tco_subscriptions (merchant_code, enabled, purchase_date DESC, reference);
CREATE INDEX tco_subscriptions_recurring ON tco_subscriptions (merchant_code, recurring_enabled, purchase_date DESC, reference);
CREATE INDEX tco_subscriptions_product ON tco_subscriptions (merchant_code, product_code, purchase_date DESC, reference);
CREATE INDEX tco_subscriptions_country ON tco_subscriptions (merchant_code, country_code, purchase_date DESC, reference);
CREATE INDEX tco_subscriptions_expiration ON tco_subscriptions (merchant_code, expiration_date);
CREATE INDEX tco_subscriptions_renewal ON tco_subscriptions (merchant_code, renewed_at);

-- Orders: newest first, then by RefNo (read backwards).
DROP INDEX tco_orders_merchant;
CREATE INDEX tco_orders_merchant ON tco_orders (merchant_code, placed_at, ref_no);

-- Products of a group (the search by group name), by id.
CREATE INDEX tco_products_group ON tco_products (merchant_code, group_code, id);

-- What each merchant has, in shards so that concurrent inserts rarely wait on one row.
CREATE TABLE tco_counts (
    merchant_code TEXT NOT NULL,
    name TEXT NOT NULL,
    shard INTEGER NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (merchant_code, name, shard)
);
INSERT INTO tco_counts (merchant_code, name, shard, value)
    SELECT merchant_code, 'customers', 0, COUNT(*) FROM tco_customers GROUP BY merchant_code;
INSERT INTO tco_counts (merchant_code, name, shard, value)
    SELECT merchant_code, 'subscriptions', 0, COUNT(*) FROM tco_subscriptions GROUP BY merchant_code;
INSERT INTO tco_counts (merchant_code, name, shard, value)
    SELECT merchant_code, 'orders', 0, COUNT(*) FROM tco_orders GROUP BY merchant_code;
