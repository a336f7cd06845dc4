-- Orders and the subscriptions they create. An order's buyer, payment and priced items are a
-- JSON document; what lookups, uniqueness and searches need is in columns.

-- RefNo values: nine digits, unique across merchants and instances.
INSERT INTO tco_counters (name, value) VALUES ('order_ref_no', 700000000);

CREATE TABLE tco_orders (
    ref_no TEXT PRIMARY KEY,
    merchant_code TEXT NOT NULL,
    external_reference TEXT,
    customer_reference BIGINT NOT NULL,
    status TEXT NOT NULL,
    approve_status TEXT NOT NULL,
    placed_at BIGINT NOT NULL,
    complete_at BIGINT,
    document TEXT NOT NULL
);
CREATE UNIQUE INDEX tco_orders_external ON tco_orders (merchant_code, external_reference);
CREATE INDEX tco_orders_merchant ON tco_orders (merchant_code, placed_at);

CREATE TABLE tco_subscriptions (
    reference TEXT PRIMARY KEY,
    merchant_code TEXT NOT NULL,
    customer_reference BIGINT NOT NULL,
    product_code TEXT NOT NULL,
    product_name TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    order_ref_no TEXT NOT NULL,
    line_item_reference TEXT NOT NULL,
    purchase_date BIGINT NOT NULL,
    start_date BIGINT NOT NULL,
    expiration_date BIGINT,
    enabled INTEGER NOT NULL,
    trial INTEGER NOT NULL,
    recurring_enabled INTEGER NOT NULL
);
CREATE INDEX tco_subscriptions_customer ON tco_subscriptions (customer_reference);
CREATE INDEX tco_subscriptions_order ON tco_subscriptions (order_ref_no);
CREATE INDEX tco_subscriptions_merchant ON tco_subscriptions (merchant_code, purchase_date)
