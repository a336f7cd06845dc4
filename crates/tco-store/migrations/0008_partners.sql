-- Channel Manager: the partner a session works for (setPartner), and partner users' single
-- sign-on grants, stored by digest like the customers' ones.
ALTER TABLE tco_sessions ADD COLUMN partner_code TEXT;

CREATE TABLE tco_partner_grants (
    digest TEXT PRIMARY KEY,
    merchant_code TEXT NOT NULL,
    partner_code TEXT NOT NULL,
    email TEXT NOT NULL,
    access_page TEXT NOT NULL,
    validation_ip TEXT,
    expires_at BIGINT NOT NULL
);
CREATE INDEX tco_partner_grants_merchant ON tco_partner_grants (merchant_code, expires_at);
CREATE INDEX tco_partner_grants_expiry ON tco_partner_grants (expires_at);
