-- An upgrade moves a subscription to another product: what it renews as from then on (the
-- product's id and the options chosen; NULL while it is the purchased line's), and the history
-- tells an upgrade from a renewal.
ALTER TABLE tco_subscriptions ADD COLUMN upgraded_product_id BIGINT;
ALTER TABLE tco_subscriptions ADD COLUMN upgraded_price_options TEXT;
ALTER TABLE tco_renewals ADD COLUMN kind TEXT NOT NULL DEFAULT 'RENEWAL';
-- updateSubscription's EndUser, once given (NULL: the purchase's billing details or the import's).
ALTER TABLE tco_subscriptions ADD COLUMN end_user TEXT;
