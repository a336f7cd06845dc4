//! Campaigns: the [`CampaignStore`] port. Upsell campaigns and promotions are JSON documents in
//! the store's own format; a promotion's coupon codes also have rows of their own, whose key
//! (upper-case) makes them unique per merchant.

use async_trait::async_trait;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tco_core::{
    Amount, ApplyRecurring, CampaignProduct, CampaignStore, ChannelType, CouponType, CrossSellText, Discount,
    OptionSelection, Promotion, PromotionProduct, PromotionType, StoreResult, UpsellCampaign,
};

use crate::SqlStore;
use crate::catalog::documents::{from_json, money, to_json};
use crate::db::{Conn, DbError, Param, Row, params};

#[derive(Debug, Serialize, Deserialize)]
struct DiscountDocument {
    percent: Option<String>,
    /// Currency and amount.
    amounts: Vec<(String, String)>,
    default_currency: Option<String>,
}

impl DiscountDocument {
    fn of(discount: &Discount) -> Self {
        match discount {
            Discount::Percent(percent) => DiscountDocument {
                percent: Some(percent.to_string()),
                amounts: Vec::new(),
                default_currency: None,
            },
            Discount::Fixed { amounts, default_currency } => DiscountDocument {
                percent: None,
                amounts: amounts.iter().map(|a| (a.currency.clone(), a.amount.to_string())).collect(),
                default_currency: Some(default_currency.clone()),
            },
        }
    }

    fn into_model(self) -> Result<Discount, DbError> {
        match self.percent {
            Some(percent) => Ok(Discount::Percent(money(&percent)?)),
            None => Ok(Discount::Fixed {
                amounts: self
                    .amounts
                    .into_iter()
                    .map(|(currency, amount)| Ok(Amount { currency, amount: money(&amount)? }))
                    .collect::<Result<_, DbError>>()?,
                default_currency: self.default_currency.unwrap_or_default(),
            }),
        }
    }
}

/// Code, quantity, and each option group's code with its options (code and value).
type CampaignProductDocument = (String, u32, Vec<(String, Vec<(String, Option<String>)>)>);

fn product_document(product: &CampaignProduct) -> CampaignProductDocument {
    let options = product.price_options.iter().map(|group| (group.group_code.clone(), group.options.clone()));
    (product.code.clone(), product.quantity, options.collect())
}

fn campaign_product((code, quantity, options): CampaignProductDocument) -> CampaignProduct {
    let price_options =
        options.into_iter().map(|(group_code, options)| OptionSelection { group_code, options }).collect();
    CampaignProduct { code, quantity, price_options }
}

fn day(text: Option<String>) -> Result<Option<NaiveDate>, DbError> {
    text.map(|text| {
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|_| DbError::Decode(format!("a stored date is not a date: {text}")))
    })
    .transpose()
}

fn enumeration<T>(text: &str, parse: fn(&str) -> Option<T>) -> Result<T, DbError> {
    parse(text).ok_or_else(|| DbError::Decode(format!("a stored value is not valid: {text}")))
}

#[derive(Debug, Serialize, Deserialize)]
struct UpsellDocument {
    start_date: Option<String>,
    end_date: Option<String>,
    display_for_manual_renewals: bool,
    discount: DiscountDocument,
    primary_product: CampaignProductDocument,
    recommended_product: CampaignProductDocument,
    enabled: bool,
    descriptions: Vec<(String, String)>,
}

fn upsell_values(merchant_code: &str, campaign: &UpsellCampaign) -> StoreResult<Vec<Param>> {
    let document = UpsellDocument {
        start_date: campaign.start_date.map(|date| date.to_string()),
        end_date: campaign.end_date.map(|date| date.to_string()),
        display_for_manual_renewals: campaign.display_for_manual_renewals,
        discount: DiscountDocument::of(&campaign.discount),
        primary_product: product_document(&campaign.primary_product),
        recommended_product: product_document(&campaign.recommended_product),
        enabled: campaign.enabled,
        descriptions: campaign.descriptions.clone(),
    };
    let document = to_json(&document).map_err(DbError::into_store)?;
    Ok(params![merchant_code, &campaign.code, &campaign.name, document])
}

fn upsell(row: &Row) -> Result<UpsellCampaign, DbError> {
    let document: UpsellDocument = from_json(&row.text("document")?)?;
    Ok(UpsellCampaign {
        code: row.text("code")?,
        name: row.text("name")?,
        start_date: day(document.start_date)?,
        end_date: day(document.end_date)?,
        display_for_manual_renewals: document.display_for_manual_renewals,
        discount: document.discount.into_model()?,
        primary_product: campaign_product(document.primary_product),
        recommended_product: campaign_product(document.recommended_product),
        enabled: document.enabled,
        descriptions: document.descriptions,
    })
}

#[derive(Debug, Serialize, Deserialize)]
struct PromotionDocument {
    description: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    maximum_quantity: Option<u32>,
    maximum_orders_number: Option<u32>,
    instant_discount: bool,
    coupon_type: String,
    coupons: Vec<String>,
    enabled: bool,
    channel_type: String,
    promotion_type: String,
    discount: DiscountDocument,
    /// Code, pricing configuration, price option codes.
    products: Vec<(String, Option<String>, Vec<String>)>,
    apply_recurring: String,
    recurring_charges_number: Option<u32>,
}

fn promotion_values(merchant_code: &str, promotion: &Promotion) -> StoreResult<Vec<Param>> {
    let document = PromotionDocument {
        description: promotion.description.clone(),
        start_date: promotion.start_date.map(|date| date.to_string()),
        end_date: promotion.end_date.map(|date| date.to_string()),
        maximum_quantity: promotion.maximum_quantity,
        maximum_orders_number: promotion.maximum_orders_number,
        instant_discount: promotion.instant_discount,
        coupon_type: promotion.coupon_type.as_str().to_owned(),
        coupons: promotion.coupons.clone(),
        enabled: promotion.enabled,
        channel_type: promotion.channel_type.as_str().to_owned(),
        promotion_type: promotion.promotion_type.as_str().to_owned(),
        discount: DiscountDocument::of(&promotion.discount),
        products: promotion
            .products
            .iter()
            .map(|p| (p.code.clone(), p.pricing_configuration_code.clone(), p.price_option_codes.clone()))
            .collect(),
        apply_recurring: promotion.apply_recurring.as_str().to_owned(),
        recurring_charges_number: promotion.recurring_charges_number,
    };
    let document = to_json(&document).map_err(DbError::into_store)?;
    Ok(params![merchant_code, &promotion.code, &promotion.name, document])
}

fn promotion(row: &Row) -> Result<Promotion, DbError> {
    let document: PromotionDocument = from_json(&row.text("document")?)?;
    Ok(Promotion {
        code: row.text("code")?,
        name: row.text("name")?,
        description: document.description,
        start_date: day(document.start_date)?,
        end_date: day(document.end_date)?,
        maximum_quantity: document.maximum_quantity,
        maximum_orders_number: document.maximum_orders_number,
        orders_used: u32::try_from(row.integer("orders_used")?).unwrap_or(u32::MAX),
        instant_discount: document.instant_discount,
        coupon_type: enumeration(&document.coupon_type, CouponType::parse)?,
        coupons: document.coupons,
        enabled: document.enabled,
        channel_type: enumeration(&document.channel_type, ChannelType::parse)?,
        promotion_type: enumeration(&document.promotion_type, PromotionType::parse)?,
        discount: document.discount.into_model()?,
        products: document
            .products
            .into_iter()
            .map(|(code, pricing_configuration_code, price_option_codes)| PromotionProduct {
                code,
                pricing_configuration_code,
                price_option_codes,
            })
            .collect(),
        apply_recurring: enumeration(&document.apply_recurring, ApplyRecurring::parse)?,
        recurring_charges_number: document.recurring_charges_number,
    })
}

/// The promotion's coupon rows, keyed by the upper-case code.
async fn insert_coupons(
    conn: &mut dyn Conn,
    merchant_code: &str,
    promotion: &Promotion,
) -> Result<(), DbError> {
    for coupon in &promotion.coupons {
        let row = params![merchant_code, coupon.to_ascii_uppercase(), &promotion.code];
        conn.execute(
            "INSERT INTO tco_coupons (merchant_code, coupon_key, promotion_code) VALUES ($1, $2, $3)",
            &row,
        )
        .await?;
    }
    Ok(())
}

const PROMOTION_BY_CODE: &str =
    "SELECT code, name, document, orders_used FROM tco_promotions WHERE merchant_code = $1 AND code = $2";

#[async_trait]
impl CampaignStore for SqlStore {
    async fn insert_upsell_campaign(
        &self,
        merchant_code: &str,
        campaign: &UpsellCampaign,
    ) -> StoreResult<()> {
        let values = upsell_values(merchant_code, campaign)?;
        self.backend
            .execute(
                "INSERT INTO tco_upsell_campaigns (merchant_code, code, name, document) VALUES ($1, $2, $3, $4)",
                values,
            )
            .await
            .map(drop)
    }

    async fn replace_upsell_campaign(
        &self,
        merchant_code: &str,
        campaign: &UpsellCampaign,
    ) -> StoreResult<bool> {
        let values = upsell_values(merchant_code, campaign)?;
        let sql =
            "UPDATE tco_upsell_campaigns SET name = $3, document = $4 WHERE merchant_code = $1 AND code = $2";
        Ok(self.backend.execute(sql, values).await? > 0)
    }

    async fn delete_upsell_campaign(&self, merchant_code: &str, code: &str) -> StoreResult<bool> {
        let sql = "DELETE FROM tco_upsell_campaigns WHERE merchant_code = $1 AND code = $2";
        Ok(self.backend.execute(sql, params![merchant_code, code]).await? > 0)
    }

    async fn find_upsell_campaign(
        &self,
        merchant_code: &str,
        code: &str,
    ) -> StoreResult<Option<UpsellCampaign>> {
        let key = params![merchant_code, code];
        self.backend
            .read(move |conn| {
                let key = key.clone();
                Box::pin(async move {
                    let sql =
                        "SELECT code, name, document FROM tco_upsell_campaigns WHERE merchant_code = $1 AND code = $2";
                    conn.optional(sql, &key).await?.as_ref().map(upsell).transpose()
                })
            })
            .await
    }

    async fn upsell_campaigns(&self, merchant_code: &str) -> StoreResult<Vec<UpsellCampaign>> {
        let key = params![merchant_code];
        self.backend
            .read(move |conn| {
                let key = key.clone();
                Box::pin(async move {
                    let sql = "SELECT code, name, document FROM tco_upsell_campaigns WHERE merchant_code = $1 \
                               ORDER BY name, code";
                    conn.query(sql, &key).await?.iter().map(upsell).collect()
                })
            })
            .await
    }

    async fn upsert_cross_sell_texts(
        &self,
        merchant_code: &str,
        texts: &[CrossSellText],
    ) -> StoreResult<Vec<CrossSellText>> {
        let rows: Vec<Vec<Param>> = texts
            .iter()
            .map(|text| params![merchant_code, &text.language, &text.title, &text.description])
            .collect();
        let key = params![merchant_code];
        self.backend
            .write(move |conn| {
                let (rows, key) = (rows.clone(), key.clone());
                Box::pin(async move {
                    for row in &rows {
                        conn.execute(
                            "DELETE FROM tco_cross_sell_texts WHERE merchant_code = $1 AND language = $2",
                            &row[..2],
                        )
                        .await?;
                        conn.execute(
                            "INSERT INTO tco_cross_sell_texts (merchant_code, language, title, description) \
                             VALUES ($1, $2, $3, $4)",
                            row,
                        )
                        .await?;
                    }
                    all_texts(conn, &key).await
                })
            })
            .await
    }

    async fn cross_sell_texts(&self, merchant_code: &str) -> StoreResult<Vec<CrossSellText>> {
        let key = params![merchant_code];
        self.backend
            .read(move |conn| {
                let key = key.clone();
                Box::pin(async move { all_texts(conn, &key).await })
            })
            .await
    }

    async fn insert_promotion(&self, merchant_code: &str, promotion: &Promotion) -> StoreResult<()> {
        let values = promotion_values(merchant_code, promotion)?;
        let (merchant_code, promotion) = (merchant_code.to_owned(), promotion.clone());
        self.backend
            .write(move |conn| {
                let (values, merchant_code, promotion) = (values.clone(), merchant_code.clone(), promotion.clone());
                Box::pin(async move {
                    conn.execute(
                        "INSERT INTO tco_promotions (merchant_code, code, name, document) VALUES ($1, $2, $3, $4)",
                        &values,
                    )
                    .await?;
                    insert_coupons(conn, &merchant_code, &promotion).await
                })
            })
            .await
    }

    async fn replace_promotion(&self, merchant_code: &str, promotion: &Promotion) -> StoreResult<bool> {
        let values = promotion_values(merchant_code, promotion)?;
        let (merchant_code, promotion) = (merchant_code.to_owned(), promotion.clone());
        self.backend
            .write(move |conn| {
                let (values, merchant_code, promotion) = (values.clone(), merchant_code.clone(), promotion.clone());
                Box::pin(async move {
                    let changed = conn
                        .execute(
                            "UPDATE tco_promotions SET name = $3, document = $4 WHERE merchant_code = $1 AND code = $2",
                            &values,
                        )
                        .await?;
                    if changed == 0 {
                        return Ok(false);
                    }
                    conn.execute(
                        "DELETE FROM tco_coupons WHERE merchant_code = $1 AND promotion_code = $2",
                        &values[..2],
                    )
                    .await?;
                    insert_coupons(conn, &merchant_code, &promotion).await?;
                    Ok(true)
                })
            })
            .await
    }

    async fn find_promotion(&self, merchant_code: &str, code: &str) -> StoreResult<Option<Promotion>> {
        let key = params![merchant_code, code];
        self.backend
            .read(move |conn| {
                let key = key.clone();
                Box::pin(async move {
                    conn.optional(PROMOTION_BY_CODE, &key).await?.as_ref().map(promotion).transpose()
                })
            })
            .await
    }

    async fn find_promotion_by_coupon(
        &self,
        merchant_code: &str,
        coupon: &str,
    ) -> StoreResult<Option<Promotion>> {
        let key = params![merchant_code, coupon.trim().to_ascii_uppercase()];
        self.backend
            .read(move |conn| {
                let key = key.clone();
                Box::pin(async move {
                    let sql = "SELECT p.code, p.name, p.document, p.orders_used FROM tco_coupons c JOIN tco_promotions p \
                               ON p.merchant_code = c.merchant_code AND p.code = c.promotion_code \
                               WHERE c.merchant_code = $1 AND c.coupon_key = $2";
                    conn.optional(sql, &key).await?.as_ref().map(promotion).transpose()
                })
            })
            .await
    }

    async fn promotions(&self, merchant_code: &str) -> StoreResult<Vec<Promotion>> {
        let key = params![merchant_code];
        self.backend
            .read(move |conn| {
                let key = key.clone();
                Box::pin(async move {
                    let sql = "SELECT code, name, document, orders_used FROM tco_promotions WHERE merchant_code = $1 ORDER BY name, code";
                    conn.query(sql, &key).await?.iter().map(promotion).collect()
                })
            })
            .await
    }
}

async fn all_texts(conn: &mut dyn Conn, key: &[Param]) -> Result<Vec<CrossSellText>, DbError> {
    let sql = "SELECT language, title, description FROM tco_cross_sell_texts WHERE merchant_code = $1 ORDER BY language";
    conn.query(sql, key)
        .await?
        .iter()
        .map(|row| {
            Ok(CrossSellText {
                language: row.text("language")?,
                title: row.text("title")?,
                description: row.text("description")?,
            })
        })
        .collect()
}
