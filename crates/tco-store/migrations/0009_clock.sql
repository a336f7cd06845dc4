-- The gateway's clock setting (admin API time travel), one row shared by every instance on the
-- database: an offset from the real clock in milliseconds, or the instant it is frozen at.
CREATE TABLE tco_clock (
    id INTEGER PRIMARY KEY,
    offset_ms BIGINT NOT NULL,
    frozen_at BIGINT
);
