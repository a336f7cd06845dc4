-- An order's refunds and chargeback, as one JSON document (NULL: none): a refund's change is
-- compared with the document it was decided on, so two refunds at once cannot both pass.
ALTER TABLE tco_orders ADD COLUMN adjustments TEXT;
