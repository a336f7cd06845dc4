-- One schema for SQLite and PostgreSQL: only types and statements both understand.
-- Booleans are INTEGER 0/1 and times are BIGINT milliseconds since the Unix epoch.

CREATE TABLE tco_counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

-- AvangateCustomerReference values: unique across merchants and instances, allocated in
-- the creating transaction. They start above 10^8 so they look like the vendor's.
INSERT INTO tco_counters (name, value) VALUES ('customer_reference', 100000000);

CREATE TABLE tco_customers (
    reference BIGINT PRIMARY KEY,
    merchant_code TEXT NOT NULL,
    external_reference TEXT,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    company TEXT,
    fiscal_code TEXT,
    address1 TEXT NOT NULL,
    address2 TEXT,
    city TEXT NOT NULL,
    state TEXT,
    zip TEXT NOT NULL,
    country_code TEXT NOT NULL,
    phone TEXT,
    fax TEXT,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    language TEXT,
    credit_limit DOUBLE PRECISION,
    credit_remaining DOUBLE PRECISION,
    credit_currency TEXT,
    enabled INTEGER NOT NULL DEFAULT 0,
    trial INTEGER NOT NULL DEFAULT 0,
    end_user_update INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- NULLs are distinct in both databases, so any number of customers may have no external
-- reference; a non-null one is unique per merchant.
CREATE UNIQUE INDEX tco_customers_external ON tco_customers (merchant_code, external_reference);
CREATE INDEX tco_customers_email ON tco_customers (merchant_code, email_key);

CREATE TABLE tco_cards (
    transient_token TEXT PRIMARY KEY,
    customer_reference BIGINT NOT NULL REFERENCES tco_customers (reference) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    card_type TEXT NOT NULL,
    last_digits TEXT NOT NULL,
    expiration_month TEXT NOT NULL,
    expiration_year TEXT NOT NULL,
    name_on_card TEXT NOT NULL
);
CREATE INDEX tco_cards_customer ON tco_cards (customer_reference, position);

-- Sessions and SSO grants are stored by SHA-256 digest, never by the bearer value.
CREATE TABLE tco_sessions (
    digest TEXT PRIMARY KEY,
    merchant_code TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX tco_sessions_expiry ON tco_sessions (expires_at);

CREATE TABLE tco_sso_grants (
    digest TEXT PRIMARY KEY,
    merchant_code TEXT NOT NULL,
    customer_reference BIGINT NOT NULL,
    validation_ip TEXT,
    expires_at BIGINT NOT NULL
);
CREATE INDEX tco_sso_grants_expiry ON tco_sso_grants (expires_at);
