//! The campaigns' operations: upsell campaigns, cross-sell texts, promotions and their coupons,
//! the promotions an order gets, and loading campaigns from a data file.

use super::catalog::absent;
use crate::campaigns::input::{
    CouponInput, CrossSellTextInput, PromotionInput, PromotionSearchInput, UpsellCampaignInput,
    UpsellSearchInput,
};
use crate::campaigns::model::{
    CampaignStatus, ChannelType, CouponType, CrossSellText, Promotion, UpsellCampaign,
};
use crate::campaigns::validation::CROSS_SELL_LANGUAGES;
use crate::campaigns::{CampaignFixture, validation};
use crate::catalog::ProductKey;
use crate::error::{Error, Result, StoreError, Unique};
use crate::gateway::Gateway;
use crate::kernel::fields::lookup_code;
use crate::kernel::paging::Page;
use crate::merchant::MerchantContext;
use chrono::NaiveDate;

/// How often a generated code that happened to be taken is drawn again.
const CODE_ATTEMPTS: usize = 4;

/// An upsell campaign's code as a lookup sends it, in stored (lower-case) form; one no stored
/// code can be is not found without asking the store.
fn upsell_key(code: &str) -> Result<String> {
    lookup_code(code).map(|code| code.to_ascii_lowercase()).ok_or(Error::UpsellCampaignNotFound)
}

impl Gateway {
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// A lower-case UUID v4, as the vendor's campaign codes are.
    fn uuid(&self) -> Result<String> {
        let mut bytes = crate::kernel::token::random_bytes::<16>(self.random())?;
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex = hex::encode(bytes);
        Ok(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
    }

    /// The products an upsell campaign names must exist, with the price options it names.
    async fn check_campaign_products(&self, merchant_code: &str, campaign: &UpsellCampaign) -> Result<()> {
        for product in [&campaign.primary_product, &campaign.recommended_product] {
            if self
                .store()
                .find_product(merchant_code, &ProductKey::Code(product.code.clone()))
                .await?
                .is_none()
            {
                return Err(Error::invalid(
                    "Product.Code",
                    format!("{} is not a product of the catalog", product.code),
                ));
            }
            let codes: Vec<String> =
                product.price_options.iter().map(|group| group.group_code.clone()).collect();
            let groups = self.store().find_price_option_groups(merchant_code, &codes).await?;
            for selection in &product.price_options {
                let group = groups
                    .iter()
                    .find(|group| group.code == selection.group_code)
                    .ok_or_else(|| Error::PriceOptionGroupNotFound(selection.group_code.clone()))?;
                if let Some((option, _)) = selection.options.iter().find(|(option, _)| {
                    !group.options.iter().any(|known| known.code.eq_ignore_ascii_case(option))
                }) {
                    return Err(Error::invalid(
                        "PriceOptions.Options.Code",
                        format!("{option} is not an option of {}", group.code),
                    ));
                }
            }
        }
        Ok(())
    }

    /// `createUpSellCampaign`: the campaign with its new code.
    pub async fn create_upsell_campaign(
        &self,
        merchant: &MerchantContext,
        input: UpsellCampaignInput,
    ) -> Result<UpsellCampaign> {
        let config = self.merchant_config(merchant.code());
        let mut campaign = validation::upsell_campaign(UpsellCampaignInput { code: None, ..input }, &config)?;
        self.check_campaign_products(merchant.code(), &campaign).await?;
        for attempt in 1..=CODE_ATTEMPTS {
            campaign.code = self.uuid()?;
            match self.store().insert_upsell_campaign(merchant.code(), &campaign).await {
                Ok(()) => return Ok(campaign),
                Err(StoreError::Duplicate(Unique::UpsellCampaignCode)) if attempt < CODE_ATTEMPTS => {}
                Err(error) => return Err(error.into()),
            }
        }
        Err(Error::Internal)
    }

    /// `updateUpsellCampaign`: replaces the whole campaign `code` names.
    pub async fn update_upsell_campaign(
        &self,
        merchant: &MerchantContext,
        code: &str,
        input: UpsellCampaignInput,
    ) -> Result<UpsellCampaign> {
        let config = self.merchant_config(merchant.code());
        if code.trim().is_empty() {
            return Err(Error::MissingField("Code"));
        }
        let code = upsell_key(code)?;
        let mut campaign = validation::upsell_campaign(input, &config)?;
        campaign.code = code;
        self.check_campaign_products(merchant.code(), &campaign).await?;
        if self.store().replace_upsell_campaign(merchant.code(), &campaign).await? {
            Ok(campaign)
        } else {
            Err(Error::UpsellCampaignNotFound)
        }
    }

    /// `deleteUpsellCampaign`, in whatever status.
    pub async fn delete_upsell_campaign(&self, merchant: &MerchantContext, code: &str) -> Result<()> {
        let code = upsell_key(code)?;
        if self.store().delete_upsell_campaign(merchant.code(), &code).await? {
            Ok(())
        } else {
            Err(Error::UpsellCampaignNotFound)
        }
    }

    pub async fn upsell_campaign(&self, merchant: &MerchantContext, code: &str) -> Result<UpsellCampaign> {
        let code = upsell_key(code)?;
        self.store().find_upsell_campaign(merchant.code(), &code).await?.ok_or(Error::UpsellCampaignNotFound)
    }

    /// The status a campaign shows today.
    pub fn campaign_status(&self, campaign: &UpsellCampaign) -> CampaignStatus {
        campaign.status(self.today())
    }

    /// `searchUpsellCampaigns`: ordered by name, then code.
    pub async fn search_upsell_campaigns(
        &self,
        merchant: &MerchantContext,
        input: UpsellSearchInput,
    ) -> Result<Page<UpsellCampaign>> {
        let query = validation::upsell_query(input)?;
        let today = self.today();
        let within = |day: Option<NaiveDate>, after: Option<NaiveDate>, before: Option<NaiveDate>| {
            (after.is_none() && before.is_none())
                || day.is_some_and(|day| after.is_none_or(|a| day >= a) && before.is_none_or(|b| day <= b))
        };
        let among = |codes: &[String], code: &str| {
            codes.is_empty() || codes.iter().any(|c| c.eq_ignore_ascii_case(code))
        };
        let mut matches: Vec<UpsellCampaign> = self
            .store()
            .upsell_campaigns(merchant.code())
            .await?
            .into_iter()
            .filter(|c| query.name.as_ref().is_none_or(|name| c.name.to_lowercase().contains(name)))
            .filter(|c| among(&query.primary_product_codes, &c.primary_product.code))
            .filter(|c| among(&query.recommended_product_codes, &c.recommended_product.code))
            .filter(|c| among(&query.codes, &c.code))
            .filter(|c| query.statuses.is_empty() || query.statuses.contains(&c.status(today)))
            .filter(|c| within(c.start_date, query.starts_after, query.starts_before))
            .filter(|c| within(c.end_date, query.ends_after, query.ends_before))
            .filter(|c| query.enabled_for_renewals.is_none_or(|flag| c.display_for_manual_renewals == flag))
            .collect();
        matches.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.code.cmp(&b.code)));
        Ok(Page::of(matches, query.page, query.limit))
    }

    /// `addCrossSellCampaignText` / `updateCrossSellCampaignText`: one text per language, the
    /// given ones replacing those of their language; the merchant's texts after.
    pub async fn set_cross_sell_texts(
        &self,
        merchant: &MerchantContext,
        inputs: Vec<CrossSellTextInput>,
    ) -> Result<Vec<CrossSellText>> {
        if inputs.is_empty() {
            return Err(Error::MissingField("Texts"));
        }
        if inputs.len() > CROSS_SELL_LANGUAGES.len() {
            return Err(Error::invalid("Texts", "holds more texts than there are languages"));
        }
        let mut texts: Vec<CrossSellText> = Vec::with_capacity(inputs.len());
        for text in inputs.into_iter().map(validation::cross_sell_text) {
            let text = text?;
            // The last text of a language wins, as if sent one by one.
            texts.retain(|known| known.language != text.language);
            texts.push(text);
        }
        Ok(self.store().upsert_cross_sell_texts(merchant.code(), &texts).await?)
    }

    /// `getCrossSellTexts`: the text in one language.
    pub async fn cross_sell_text(&self, merchant: &MerchantContext, language: &str) -> Result<CrossSellText> {
        let language = validation::cross_sell_language(Some(language.to_owned()))?;
        self.store()
            .cross_sell_texts(merchant.code())
            .await?
            .into_iter()
            .find(|text| text.language == language)
            .ok_or(Error::CrossSellTextNotFound)
    }

    /// `addPromotion`: the promotion with its new code.
    pub async fn add_promotion(
        &self,
        merchant: &MerchantContext,
        input: PromotionInput,
    ) -> Result<Promotion> {
        let config = self.merchant_config(merchant.code());
        let mut promotion = validation::promotion(PromotionInput { code: None, ..input }, &config)?;
        self.check_promotion_products(merchant.code(), &promotion).await?;
        for attempt in 1..=CODE_ATTEMPTS {
            promotion.code = self.hex_code()?;
            match self.store().insert_promotion(merchant.code(), &promotion).await {
                Ok(()) => return Ok(promotion),
                Err(StoreError::Duplicate(Unique::PromotionCode)) if attempt < CODE_ATTEMPTS => {}
                Err(error) => return Err(error.into()),
            }
        }
        Err(Error::Internal)
    }

    /// `updatePromotion`: replaces the promotion its `Code` names, coupons included.
    pub async fn update_promotion(
        &self,
        merchant: &MerchantContext,
        input: PromotionInput,
    ) -> Result<Promotion> {
        let config = self.merchant_config(merchant.code());
        let promotion = validation::promotion(input, &config)?;
        if promotion.code.is_empty() {
            return Err(Error::MissingField("Code"));
        }
        self.check_promotion_products(merchant.code(), &promotion).await?;
        if self.store().replace_promotion(merchant.code(), &promotion).await? {
            Ok(promotion)
        } else {
            Err(Error::PromotionNotFound)
        }
    }

    async fn check_promotion_products(&self, merchant_code: &str, promotion: &Promotion) -> Result<()> {
        for product in &promotion.products {
            let key = ProductKey::Code(product.code.clone());
            let found = self.store().find_product(merchant_code, &key).await?.ok_or_else(|| {
                Error::invalid("Products.Code", format!("{} is not a product of the catalog", product.code))
            })?;
            if let Some(configuration) = &product.pricing_configuration_code
                && !found.fields.pricing_configurations.iter().any(|c| &c.code == configuration)
            {
                return Err(Error::invalid(
                    "Products.PricingConfigurationCode",
                    format!("{configuration} is not a pricing configuration of {}", product.code),
                ));
            }
        }
        Ok(())
    }

    pub async fn promotion(&self, merchant: &MerchantContext, code: &str) -> Result<Promotion> {
        let code = lookup_code(code).ok_or(Error::PromotionNotFound)?;
        self.store().find_promotion(merchant.code(), &code).await?.ok_or(Error::PromotionNotFound)
    }

    /// `searchPromotions`: ordered by name, then code.
    pub async fn search_promotions(
        &self,
        merchant: &MerchantContext,
        input: PromotionSearchInput,
    ) -> Result<Page<Promotion>> {
        let query = validation::promotion_query(input)?;
        let mut matches: Vec<Promotion> = self
            .store()
            .promotions(merchant.code())
            .await?
            .into_iter()
            .filter(|p| query.types.is_empty() || query.types.contains(&p.promotion_type))
            .filter(|p| query.channel.is_none_or(|channel| p.channel_type == channel))
            .filter(|p| query.enabled.is_none_or(|enabled| p.enabled == enabled))
            .filter(|p| query.product_code.as_ref().is_none_or(|code| p.applies_to(code)))
            .collect();
        matches.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.code.cmp(&b.code)));
        Ok(Page::of(matches, query.page, query.limit))
    }

    /// `updatePromotionCoupon`: adds coupon codes (a SINGLE promotion's code is replaced).
    pub async fn add_promotion_coupons(
        &self,
        merchant: &MerchantContext,
        code: &str,
        input: CouponInput,
    ) -> Result<Promotion> {
        let (kind, codes) = validation::coupon(input)?;
        let mut promotion = self.promotion(merchant, code).await?;
        match kind {
            CouponType::Single => promotion.coupons = codes,
            CouponType::Multiple => {
                for code in codes {
                    if !promotion.coupons.iter().any(|known| known.eq_ignore_ascii_case(&code)) {
                        promotion.coupons.push(code);
                    }
                }
            }
        }
        promotion.coupon_type = kind;
        self.save_coupons(merchant, promotion).await
    }

    /// `deletePromotionCoupon`: removes coupon codes; a promotion keeps at least one.
    pub async fn delete_promotion_coupons(
        &self,
        merchant: &MerchantContext,
        code: &str,
        input: CouponInput,
    ) -> Result<Promotion> {
        let (_, codes) = validation::coupon(input)?;
        let mut promotion = self.promotion(merchant, code).await?;
        if let Some(unknown) =
            codes.iter().find(|code| !promotion.coupons.iter().any(|known| known.eq_ignore_ascii_case(code)))
        {
            return Err(Error::InvalidCoupon(unknown.clone()));
        }
        promotion.coupons.retain(|known| !codes.iter().any(|code| code.eq_ignore_ascii_case(known)));
        if promotion.coupons.is_empty() {
            return Err(Error::invalid("Coupon.Codes", "would leave the promotion without a coupon code"));
        }
        self.save_coupons(merchant, promotion).await
    }

    async fn save_coupons(&self, merchant: &MerchantContext, promotion: Promotion) -> Result<Promotion> {
        if self.store().replace_promotion(merchant.code(), &promotion).await? {
            Ok(promotion)
        } else {
            Err(Error::PromotionNotFound)
        }
    }

    /// The promotions shoppers get with these coupon codes today, plus those that apply without
    /// one; an unknown, disabled or expired coupon is an error.
    pub(crate) async fn order_promotions(
        &self,
        merchant_code: &str,
        coupons: &[String],
    ) -> Result<Vec<(Option<String>, Promotion)>> {
        let today = self.today();
        let mut applied: Vec<(Option<String>, Promotion)> = Vec::new();
        for coupon in coupons.iter().map(|coupon| coupon.trim()).filter(|coupon| !coupon.is_empty()) {
            let Some(key) = lookup_code(coupon) else {
                return Err(Error::InvalidCoupon(coupon.to_owned()));
            };
            let promotion = self
                .store()
                .find_promotion_by_coupon(merchant_code, &key)
                .await?
                .filter(|promotion| {
                    promotion.active(today)
                        && promotion.has_orders_left()
                        && promotion.channel_type != ChannelType::ChannelManager
                })
                .ok_or_else(|| Error::InvalidCoupon(coupon.to_owned()))?;
            if !applied.iter().any(|(_, known)| known.code == promotion.code) {
                applied.push((Some(coupon.to_owned()), promotion));
            }
        }
        for promotion in self.store().promotions(merchant_code).await? {
            if promotion.instant_discount
                && promotion.active(today)
                && promotion.has_orders_left()
                && !applied.iter().any(|(_, known)| known.code == promotion.code)
            {
                applied.push((None, promotion));
            }
        }
        Ok(applied)
    }
}

impl Gateway {
    /// Loads the fixture for `merchant_code` (after its catalog); returns how many objects were
    /// added.
    pub async fn load_campaigns(&self, merchant_code: &str, fixture: CampaignFixture) -> Result<usize> {
        let config = self.merchant_config(merchant_code);
        let store = self.store();
        let mut added = 0;
        for input in fixture.upsell_campaigns {
            let campaign = validation::upsell_campaign(input, &config)?;
            if campaign.code.is_empty() {
                return Err(Error::MissingField("UpsellCampaigns.Code"));
            }
            if store.find_upsell_campaign(merchant_code, &campaign.code).await?.is_none() {
                self.check_campaign_products(merchant_code, &campaign).await?;
                added += usize::from(absent(
                    store.insert_upsell_campaign(merchant_code, &campaign).await,
                    Unique::UpsellCampaignCode,
                )?);
            }
        }
        for input in fixture.promotions {
            let promotion = validation::promotion(input, &config)?;
            if promotion.code.is_empty() {
                return Err(Error::MissingField("Promotions.Code"));
            }
            if store.find_promotion(merchant_code, &promotion.code).await?.is_none() {
                self.check_promotion_products(merchant_code, &promotion).await?;
                added += usize::from(absent(
                    store.insert_promotion(merchant_code, &promotion).await,
                    Unique::PromotionCode,
                )?);
            }
        }
        let known = store.cross_sell_texts(merchant_code).await?;
        let texts: Vec<CrossSellText> = fixture
            .cross_sell_texts
            .into_iter()
            .map(validation::cross_sell_text)
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .filter(|text| !known.iter().any(|known| known.language == text.language))
            .collect();
        if !texts.is_empty() {
            store.upsert_cross_sell_texts(merchant_code, &texts).await?;
            added += texts.len();
        }
        Ok(added)
    }
}
