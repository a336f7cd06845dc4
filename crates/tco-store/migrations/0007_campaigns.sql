-- Campaigns: upsell campaigns and promotions as documents in the store's format (a merchant has
-- few; the core filters them), the cart's cross-sell texts, one per language, and coupon codes,
-- unique per merchant whatever their case (coupon_key is upper-case).
CREATE TABLE tco_upsell_campaigns (
    merchant_code TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (merchant_code, code)
);
CREATE TABLE tco_cross_sell_texts (
    merchant_code TEXT NOT NULL,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (merchant_code, language)
);
CREATE TABLE tco_promotions (
    merchant_code TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (merchant_code, code)
);
CREATE TABLE tco_coupons (
    merchant_code TEXT NOT NULL,
    coupon_key TEXT NOT NULL,
    promotion_code TEXT NOT NULL,
    PRIMARY KEY (merchant_code, coupon_key)
);
CREATE INDEX tco_coupons_promotion ON tco_coupons (merchant_code, promotion_code);
