//! The campaigns' store port.

use std::fmt;

use async_trait::async_trait;

use crate::campaigns::{CrossSellText, Promotion, UpsellCampaign};
use crate::error::StoreResult;

/// Upsell campaigns, cross-sell texts and promotions with their coupon codes. A merchant has
/// few: lists are whole, and the core filters them.
#[async_trait]
pub trait CampaignStore: Send + Sync + fmt::Debug {
    /// Fails with [`StoreError::Duplicate`] for a code the merchant already uses.
    async fn insert_upsell_campaign(&self, merchant_code: &str, campaign: &UpsellCampaign)
    -> StoreResult<()>;
    /// Replaces the campaign `campaign.code` names; `Ok(false)` when there is none.
    async fn replace_upsell_campaign(
        &self,
        merchant_code: &str,
        campaign: &UpsellCampaign,
    ) -> StoreResult<bool>;
    async fn delete_upsell_campaign(&self, merchant_code: &str, code: &str) -> StoreResult<bool>;
    async fn find_upsell_campaign(
        &self,
        merchant_code: &str,
        code: &str,
    ) -> StoreResult<Option<UpsellCampaign>>;
    async fn upsell_campaigns(&self, merchant_code: &str) -> StoreResult<Vec<UpsellCampaign>>;

    /// Stores each text in place of the merchant's text in its language, in one transaction;
    /// returns all of the merchant's texts, by language.
    async fn upsert_cross_sell_texts(
        &self,
        merchant_code: &str,
        texts: &[CrossSellText],
    ) -> StoreResult<Vec<CrossSellText>>;
    async fn cross_sell_texts(&self, merchant_code: &str) -> StoreResult<Vec<CrossSellText>>;

    /// The promotion and its coupon codes in one transaction; fails with
    /// [`StoreError::Duplicate`] for a promotion code, or a coupon code (whatever its case) of
    /// another promotion of the merchant.
    async fn insert_promotion(&self, merchant_code: &str, promotion: &Promotion) -> StoreResult<()>;
    /// Replaces the promotion `promotion.code` names and its coupon codes; `Ok(false)` when there
    /// is none.
    async fn replace_promotion(&self, merchant_code: &str, promotion: &Promotion) -> StoreResult<bool>;
    async fn find_promotion(&self, merchant_code: &str, code: &str) -> StoreResult<Option<Promotion>>;
    /// The promotion holding this coupon code, whatever its case.
    async fn find_promotion_by_coupon(
        &self,
        merchant_code: &str,
        coupon: &str,
    ) -> StoreResult<Option<Promotion>>;
    async fn promotions(&self, merchant_code: &str) -> StoreResult<Vec<Promotion>>;
}
