-- The catalog. What lookups and searches need is in columns; the rest of a product or a price
-- option group is a JSON document the store writes and reads (prices as decimal strings).

-- Product ids (AvangateId) are unique across merchants and look like the vendor's.
INSERT INTO tco_counters (name, value) VALUES ('product_id', 4600000);

CREATE TABLE tco_products (
    id BIGINT PRIMARY KEY,
    merchant_code TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    product_type TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    group_code TEXT,
    document TEXT NOT NULL,
    upgrade_schema TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX tco_products_code ON tco_products (merchant_code, code);
CREATE INDEX tco_products_merchant ON tco_products (merchant_code, id);

-- Names are unique per merchant whatever their case (name_key is the lower-case name).
CREATE TABLE tco_product_groups (
    merchant_code TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    template_name TEXT NOT NULL,
    description TEXT,
    enabled INTEGER NOT NULL,
    PRIMARY KEY (merchant_code, code)
);
CREATE UNIQUE INDEX tco_product_groups_name ON tco_product_groups (merchant_code, name_key);

CREATE TABLE tco_price_option_groups (
    merchant_code TEXT NOT NULL,
    code TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (merchant_code, code)
)
