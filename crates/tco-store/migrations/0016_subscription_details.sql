-- A subscription's renewals, for its history (the first purchase is the subscription's own
-- order), and its additional information fields (at most five, by name).
CREATE TABLE tco_renewals (
    merchant_code TEXT NOT NULL,
    reference TEXT NOT NULL,
    ref_no TEXT NOT NULL,
    renewed_at BIGINT NOT NULL,
    expiration_from BIGINT NOT NULL,
    expiration_to BIGINT NOT NULL
);
CREATE INDEX tco_renewals_subscription ON tco_renewals (merchant_code, reference, renewed_at);
CREATE TABLE tco_subscription_fields (
    merchant_code TEXT NOT NULL,
    reference TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    -- The order they were added in.
    position BIGINT NOT NULL,
    PRIMARY KEY (merchant_code, reference, name)
);
