//! Subscription upgrades: the products a subscription may move to (those whose upgrade schema
//! allows its product), what moving costs under the target's pricing scheme, and the move
//! itself — an order charged to the subscription's card that leaves the subscription on the new
//! product, with the expiration the schema's upgrade type gives, or (type 1) buys a new
//! subscription of the new product and disables this one.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::catalog::{Impact, OptionGroupType, PriceOptionGroup, Product, ProductKey, UpgradeSchema};
use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::gateway::renewals::renewal_placement;
use crate::merchant::MerchantContext;
use crate::orders::pricing::Pricing;
use crate::orders::validation::renewal_declined;
use crate::orders::{ItemInput, ItemPrice, Placement, UpgradeTerms, add_cycle};
use crate::subscriptions::{HistoryKind, SubscriptionRecord};

/// A product a subscription may be upgraded to, with the option groups it offers and its net
/// unit price without options in the subscription's currency (`None` when it has none there).
#[derive(Debug, Clone, PartialEq)]
pub struct UpgradeOption {
    pub product: Product,
    pub groups: Vec<PriceOptionGroup>,
    pub currency: String,
    pub price: Option<Decimal>,
}

/// What an upgrade costs (`getProductUpgradeOptionsPrice`): the price charged (never below zero)
/// and the prorated price as calculated (negative for a downgrade), for the quantity.
#[derive(Debug, Clone, PartialEq)]
pub struct UpgradePrice {
    pub currency: String,
    pub quantity: u32,
    pub charged: ItemPrice,
    pub prorated: ItemPrice,
}

/// What `getProductUpgradeOptionsPrice` is asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpgradeQuote {
    pub product_code: Option<String>,
    pub currency: Option<String>,
    /// `;`-separated option codes.
    pub options: Option<String>,
    /// REST only; the subscription's quantity otherwise.
    pub quantity: Option<i64>,
    /// REST's `CalculateProratedPrice`; prorated schemes prorate unless it is false.
    pub prorate: Option<bool>,
}

impl Gateway {
    /// `getProductUpgradeOptions`: the enabled products the subscription may be upgraded to.
    pub async fn upgrade_options(
        &self,
        merchant: &MerchantContext,
        reference: &str,
    ) -> Result<Vec<UpgradeOption>> {
        let record = self.subscription(merchant, reference).await?;
        let codes = self.store().upgrade_targets(merchant.code(), &record.subscription.product_code).await?;
        let mut options = Vec::with_capacity(codes.len());
        for code in codes {
            let Some(product) = self.store().find_product(merchant.code(), &ProductKey::Code(code)).await?
            else {
                continue;
            };
            if product.fields.enabled && product.fields.code != record.subscription.product_code {
                let groups = self.offered_option_groups(merchant.code(), &product).await?;
                let currency = record.currency().to_ascii_uppercase();
                let price =
                    self.catalog_price(merchant.code(), &record, &product, &[], &currency, 1).await.ok();
                options.push(UpgradeOption { product, groups, currency, price });
            }
        }
        Ok(options)
    }

    /// `getProductUpgradeOptionsPrice`.
    pub async fn upgrade_price(
        &self,
        merchant: &MerchantContext,
        reference: &str,
        quote: UpgradeQuote,
    ) -> Result<UpgradePrice> {
        let record = self.subscription(merchant, reference).await?;
        let (target, schema) = self.upgrade_target(merchant, &record, quote.product_code).await?;
        let currency = quote
            .currency
            .map(|code| code.trim().to_ascii_uppercase())
            .filter(|code| !code.is_empty())
            .ok_or(Error::MissingField("currency"))?;
        if !self
            .merchant_config(merchant.code())
            .currencies
            .iter()
            .any(|known| known.code.eq_ignore_ascii_case(&currency))
        {
            return Err(Error::invalid("currency", format!("{currency} is not a currency of the merchant")));
        }
        let quantity = match quote.quantity {
            None => record.subscription.quantity,
            Some(quantity) => u32::try_from(quantity)
                .ok()
                .filter(|quantity| (1..=crate::orders::MAX_QUANTITY as u32).contains(quantity))
                .ok_or_else(|| Error::invalid("Quantity", "must be a positive number up to 99999"))?,
        };
        let options = self.chosen_options(merchant.code(), &target, quote.options.as_deref()).await?;
        let upgrade = Upgrade { target: &target, schema: &schema, options: &options };
        let unit =
            self.upgrade_unit_price(merchant.code(), &record, &upgrade, &currency, quote.prorate).await?;
        Ok(self.upgrade_prices(merchant.code(), &record, &currency, unit, quantity))
    }

    /// `setSubscriptionUpgrade`: charges the upgrade (`custom_price`, net per unit in the
    /// subscription's currency, instead of the calculated one) to the subscription's card and
    /// moves the subscription to `product_code` — or, for `SubscriptionUpgradeType` 1, gives the
    /// customer a new subscription of it in place of this one, which is disabled.
    pub async fn upgrade_subscription(
        &self,
        merchant: &MerchantContext,
        reference: &str,
        product_code: Option<String>,
        options: Option<String>,
        custom_price: Option<Decimal>,
    ) -> Result<()> {
        let record = self.subscription(merchant, reference).await?;
        let subscription = &record.subscription;
        let (target, schema) = self.upgrade_target(merchant, &record, product_code).await?;
        if !subscription.enabled {
            return Err(Error::InvalidSubscriptionOperation("Cannot upgrade a disabled subscription."));
        }
        let Some(expiration) = subscription.expiration_date else {
            return Err(Error::InvalidSubscriptionOperation("A lifetime subscription is not upgraded."));
        };
        if !subscription.recurring_enabled {
            return Err(Error::InvalidSubscriptionOperation(
                "Only a subscription with automatic renewal on can be upgraded.",
            ));
        }
        let card = record
            .card()
            .cloned()
            .ok_or(Error::InvalidSubscriptionOperation("The subscription has no card to charge."))?;
        if renewal_declined(&card, self.now()) {
            return Err(Error::InvalidSubscriptionOperation("The upgrade payment was declined."));
        }
        let options = self.chosen_options(merchant.code(), &target, options.as_deref()).await?;
        let currency = record.currency().to_owned();
        let unit_price = match custom_price {
            Some(price) => crate::kernel::fields::charge("customPrice", price)?,
            None => {
                let upgrade = Upgrade { target: &target, schema: &schema, options: &options };
                let unit =
                    self.upgrade_unit_price(merchant.code(), &record, &upgrade, &currency, None).await?;
                unit.max(Decimal::ZERO)
            }
        };
        // Type 1: a new subscription of the new product, from today, replaces this one.
        let replaces = schema.subscription_upgrade_type == 1;
        let new_expiration_date = match (schema.subscription_upgrade_type, target.fields.recurrence) {
            // The duration is left as it is (type 3), or this one keeps its own (type 1).
            (1 | 3, _) | (_, None) => expiration,
            // Prolonged from today by the new product's cycle (type 2).
            (_, Some(cycle)) => add_cycle(self.now(), cycle.length, cycle.unit),
        };
        let mut placement = renewal_placement(&record, card);
        placement.input.items = vec![ItemInput {
            code: Some(target.fields.code.clone()),
            quantity: Some(i64::from(subscription.quantity)),
            price_options: options,
            ..ItemInput::default()
        }];
        // The upgrade's price, not a renewal's.
        let placement = Placement {
            upgrade_terms: Some(UpgradeTerms { unit_price, new_expiration_date, replaces }),
            renewal_terms: None,
            ..placement
        };
        self.place(merchant.code(), placement).await.map(drop)
    }

    /// The product `product_code` names, if the subscription may be upgraded to it, with its
    /// schema.
    async fn upgrade_target(
        &self,
        merchant: &MerchantContext,
        record: &SubscriptionRecord,
        product_code: Option<String>,
    ) -> Result<(Product, UpgradeSchema)> {
        let code = product_code
            .map(|code| code.trim().to_owned())
            .filter(|code| !code.is_empty())
            .ok_or(Error::MissingField("productCode"))?;
        let target = self.product(merchant, &ProductKey::Code(code)).await?;
        let schema = self.store().upgrade_schema(merchant.code(), &target.fields.code).await?;
        let from = &record.subscription.product_code;
        match schema {
            Some(schema)
                if target.fields.enabled
                    && target.fields.code != *from
                    && schema.allow_upgrade_from.iter().any(|code| code.eq_ignore_ascii_case(from)) =>
            {
                Ok((target, schema))
            }
            _ => Err(Error::invalid(
                "productCode",
                format!("{} is not an upgrade option of {from}", target.fields.code),
            )),
        }
    }

    /// The options an upgrade call names, as option codes of the target's groups.
    async fn chosen_options(
        &self,
        merchant_code: &str,
        target: &Product,
        options: Option<&str>,
    ) -> Result<Vec<String>> {
        let groups = self.offered_option_groups(merchant_code, target).await?;
        chosen_options(options, &groups)
    }

    /// The net unit price of the upgrade under the target's pricing scheme, before it is kept
    /// from going below zero.
    async fn upgrade_unit_price(
        &self,
        merchant_code: &str,
        record: &SubscriptionRecord,
        &Upgrade { target, schema, options }: &Upgrade<'_>,
        currency: &str,
        prorate: Option<bool>,
    ) -> Result<Decimal> {
        let quantity = record.subscription.quantity;
        let new = self.catalog_price(merchant_code, record, target, options, currency, quantity).await?;
        let old = match schema.pricing_scheme {
            1 => Decimal::ZERO,
            3 => self.last_paid_unit(merchant_code, record, currency).await?,
            _ => {
                let key = ProductKey::Code(record.subscription.product_code.clone());
                match self.store().find_product(merchant_code, &key).await? {
                    Some(current) => {
                        let options = record.price_options();
                        self.catalog_price(merchant_code, record, &current, &options, currency, quantity)
                            .await
                            .unwrap_or_default()
                    }
                    None => Decimal::ZERO,
                }
            }
        };
        let difference = new - old;
        let price = match schema.pricing_scheme {
            3 | 4 if prorate != Some(false) => {
                difference * self.remaining_share(merchant_code, record).await?
            }
            3 | 4 => difference,
            _ => {
                let percent = Decimal::from(schema.option_price_percentage.unwrap_or_default());
                let adjustment = difference * percent / Decimal::ONE_HUNDRED;
                match schema.option_price_operator {
                    Some(Impact::Subtract) => difference - adjustment,
                    _ => difference + adjustment,
                }
            }
        };
        Ok(price)
    }

    /// The product's net unit price for the subscription's country, in `currency`.
    async fn catalog_price(
        &self,
        merchant_code: &str,
        record: &SubscriptionRecord,
        product: &Product,
        options: &[String],
        currency: &str,
        quantity: u32,
    ) -> Result<Decimal> {
        let groups = self.offered_option_groups(merchant_code, product).await?;
        let config = self.merchant_config(merchant_code);
        let pricing =
            Pricing { config: &config, currency, country: &record.end_user().country_code, renewal: false };
        let (price, _) = pricing.item(product, quantity, options, &groups)?;
        Ok(price.unit_net)
    }

    /// What the subscription's latest order paid per unit, net of discounts, in `currency`.
    async fn last_paid_unit(
        &self,
        merchant_code: &str,
        record: &SubscriptionRecord,
        currency: &str,
    ) -> Result<Decimal> {
        let subscription = &record.subscription;
        let Some(order) = self.find_order(merchant_code, &subscription.latest_order_ref_no).await? else {
            return Ok(Decimal::ZERO);
        };
        let line = order.items.iter().find(|item| {
            item.renews.as_deref() == Some(subscription.reference.as_str())
                || item.line_item_reference == subscription.line_item_reference
        });
        let Some(line) = line else { return Ok(Decimal::ZERO) };
        let paid = line.price.unit_net - line.price.unit_discount;
        self.merchant_config(merchant_code).convert(paid, &order.currency, currency)
    }

    /// The share of the current billing period still to run, from 0 to 1 (1 for a lifetime
    /// subscription).
    async fn remaining_share(&self, merchant_code: &str, record: &SubscriptionRecord) -> Result<Decimal> {
        let subscription = &record.subscription;
        let Some(end) = subscription.expiration_date else { return Ok(Decimal::ONE) };
        let renewals = self.store().renewals(merchant_code, &subscription.reference).await?;
        let start: DateTime<Utc> = match renewals.last() {
            Some(last) if last.kind == HistoryKind::Upgrade => last.renewed_at,
            Some(last) => last.expiration_from,
            None => subscription.start_date,
        };
        let period = (end - start).num_seconds();
        let left = (end - self.now()).num_seconds().clamp(0, period.max(0));
        if period <= 0 {
            return Ok(Decimal::ZERO);
        }
        Ok(Decimal::from(left) / Decimal::from(period))
    }

    /// The net unit price as the figures `getProductUpgradeOptionsPrice` answers.
    fn upgrade_prices(
        &self,
        merchant_code: &str,
        record: &SubscriptionRecord,
        currency: &str,
        unit: Decimal,
        quantity: u32,
    ) -> UpgradePrice {
        let config = self.merchant_config(merchant_code);
        let pricing =
            Pricing { config: &config, currency, country: &record.end_user().country_code, renewal: false };
        UpgradePrice {
            currency: currency.to_owned(),
            quantity,
            charged: pricing.dynamic_item(unit.max(Decimal::ZERO), quantity),
            prorated: pricing.dynamic_item(unit, quantity),
        }
    }
}

/// An upgrade to price: the product, its upgrade schema, the options chosen.
struct Upgrade<'a> {
    target: &'a Product,
    schema: &'a UpgradeSchema,
    options: &'a [String],
}

/// The options of the vendor's `options` parameter (`;`-separated) as option codes: an option's
/// code, or an interval (scale) group's value as `GROUP=value` (`Users=7`) — the group's option
/// whose range holds the value.
fn chosen_options(options: Option<&str>, groups: &[PriceOptionGroup]) -> Result<Vec<String>> {
    options
        .unwrap_or_default()
        .split([';', ','])
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(|token| match token.split_once('=') {
            None => Ok(token.to_owned()),
            Some((group, value)) => interval_option(group.trim(), value.trim(), groups),
        })
        .collect()
}

fn interval_option(group: &str, value: &str, groups: &[PriceOptionGroup]) -> Result<String> {
    let value: i64 = value
        .parse()
        .map_err(|_| Error::invalid("options", format!("{group}={value}: the value is a number")))?;
    let group = groups
        .iter()
        .find(|known| known.code.eq_ignore_ascii_case(group) && known.group_type == OptionGroupType::Interval)
        .ok_or_else(|| Error::invalid("options", format!("{group} is no interval group of the product")))?;
    group
        .options
        .iter()
        .find(|option| {
            option.scale_min.is_some_and(|min| min <= value)
                && option.scale_max.is_none_or(|max| value <= max)
        })
        .map(|option| option.code.clone())
        .ok_or_else(|| Error::invalid("options", format!("no interval of {} holds {value}", group.code)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::PriceOption;

    fn seats() -> PriceOptionGroup {
        let option = |code: &str, min, max| PriceOption {
            code: code.to_owned(),
            name: code.to_owned(),
            description: None,
            default: false,
            scale_min: Some(min),
            scale_max: max,
            price_impact: None,
            subscription_impact: None,
        };
        PriceOptionGroup {
            code: "SEATS".to_owned(),
            name: "Seats".to_owned(),
            description: None,
            group_type: OptionGroupType::Interval,
            required: false,
            options: vec![option("S5", 1, Some(5)), option("S10", 6, Some(10)), option("MANY", 11, None)],
        }
    }

    #[test]
    fn options_by_code_or_by_an_intervals_value() {
        let groups = [seats()];
        assert_eq!(chosen_options(Some("PREMIUM; seats=7"), &groups).unwrap(), ["PREMIUM", "S10"]);
        assert_eq!(chosen_options(Some("SEATS=5"), &groups).unwrap(), ["S5"]);
        assert_eq!(chosen_options(Some("SEATS=500"), &groups).unwrap(), ["MANY"], "an open-ended interval");
        assert_eq!(chosen_options(None, &groups).unwrap(), Vec::<String>::new());
        for refused in ["SEATS=0", "SEATS=x", "USERS=3"] {
            assert!(chosen_options(Some(refused), &groups).is_err(), "{refused}");
        }
    }
}
