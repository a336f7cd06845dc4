-- An imported subscription (addSubscription) has no order: it carries its end user, currency,
-- options and card here instead (order_ref_no is empty).
ALTER TABLE tco_subscriptions ADD COLUMN import_document TEXT;
