-- Notifications (IPN, LCN): each merchant's settings as one document; events waiting for their
-- moment (written with the change that causes them, or scheduled for what the clock will
-- cause); and deliveries, one per event message and listener, with their attempts and the
-- lease of the instance delivering them. Ids come from a counter (`0014_notifications.*.sql`).
CREATE TABLE tco_notification_settings (
    merchant_code TEXT PRIMARY KEY,
    document TEXT NOT NULL
);
CREATE TABLE tco_events (
    id BIGINT PRIMARY KEY,
    merchant_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    event TEXT NOT NULL,
    subject TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    scheduled_on BIGINT,
    conformance INTEGER NOT NULL,
    detail TEXT,
    -- A scheduled event's identity, so that scheduling the same moment twice stores it once
    -- (NULL, never equal, for the others).
    dedupe TEXT
);
CREATE INDEX tco_events_due ON tco_events (due_at, id);
CREATE INDEX tco_events_merchant ON tco_events (merchant_code);
CREATE UNIQUE INDEX tco_events_dedupe ON tco_events (merchant_code, dedupe);
CREATE TABLE tco_deliveries (
    id BIGINT PRIMARY KEY,
    event_id BIGINT NOT NULL,
    merchant_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    event TEXT NOT NULL,
    subject TEXT NOT NULL,
    url TEXT NOT NULL,
    conformance_case TEXT,
    fields TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    first_attempt_at BIGINT,
    next_attempt_at BIGINT,
    lease_owner TEXT,
    lease_until BIGINT
);
CREATE INDEX tco_deliveries_due ON tco_deliveries (next_attempt_at, id) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX tco_deliveries_merchant ON tco_deliveries (merchant_code, id);
