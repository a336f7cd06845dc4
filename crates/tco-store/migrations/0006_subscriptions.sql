-- Subscriptions on their own: the end user's e-mail and country (for searches and the renewal
-- rule), the last renewal and the latest order that paid, and why recurring billing was
-- turned off, and when it last changed. Rows of earlier versions take the customer's e-mail and country.
ALTER TABLE tco_subscriptions ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE tco_subscriptions ADD COLUMN country_code TEXT NOT NULL DEFAULT '';
ALTER TABLE tco_subscriptions ADD COLUMN renewed_at BIGINT;
ALTER TABLE tco_subscriptions ADD COLUMN latest_order_ref_no TEXT NOT NULL DEFAULT '';
ALTER TABLE tco_subscriptions ADD COLUMN churn TEXT;
ALTER TABLE tco_subscriptions ADD COLUMN modified_at BIGINT NOT NULL DEFAULT 0;
UPDATE tco_subscriptions SET
    email = COALESCE((SELECT lower(c.email) FROM tco_customers c WHERE c.reference = tco_subscriptions.customer_reference), ''),
    country_code = COALESCE((SELECT c.country_code FROM tco_customers c WHERE c.reference = tco_subscriptions.customer_reference), ''),
    latest_order_ref_no = order_ref_no,
    modified_at = purchase_date;
CREATE INDEX tco_subscriptions_email ON tco_subscriptions (merchant_code, email);
