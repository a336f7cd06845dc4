-- Sessions and SSO grants are kept per merchant up to a bound, the oldest removed first.
CREATE INDEX tco_sessions_merchant ON tco_sessions (merchant_code, created_at);
CREATE INDEX tco_sso_grants_merchant ON tco_sso_grants (merchant_code, expires_at)
