-- Comments on an order (the legacy API's `create_comment`), in the order they were made.
CREATE TABLE tco_order_comments (
    merchant_code TEXT NOT NULL,
    ref_no TEXT NOT NULL,
    position BIGINT NOT NULL,
    comment TEXT NOT NULL,
    username TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (merchant_code, ref_no, position)
);
