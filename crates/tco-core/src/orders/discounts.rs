//! Promotions on a priced item: of the promotions that apply to the product, the one giving the
//! largest discount, on at most its `MaximumQuantity` units. The discount is taken off the net
//! price; VAT is charged on what remains.

use rust_decimal::Decimal;

use super::model::ItemPrice;
use crate::campaigns::{Discount, Promotion, unit_discount};
use crate::error::Result;
use crate::settings::MerchantConfig;

/// Discounts `price` with the best of `promotions`; the index of the one applied.
pub(crate) fn apply_promotions(
    price: &mut ItemPrice,
    product_code: &str,
    quantity: u32,
    promotions: &[(Option<String>, Promotion)],
    config: &MerchantConfig,
) -> Result<Option<usize>> {
    let decimals = config.decimals(&price.currency);
    let mut best: Option<(usize, Decimal)> = None;
    for (index, (_, promotion)) in promotions.iter().enumerate() {
        if !promotion.applies_to(product_code) {
            continue;
        }
        let unit = unit_discount(&promotion.discount, price.unit_net, &price.currency, config, decimals)?;
        if unit > Decimal::ZERO && best.is_none_or(|(_, known)| unit > known) {
            best = Some((index, unit));
        }
    }
    let Some((index, unit)) = best else { return Ok(None) };
    let discounted_units = promotions[index].1.maximum_quantity.map_or(quantity, |max| max.min(quantity));
    let round = |value: Decimal| crate::kernel::fields::round_money(value, decimals);
    let vat_on = |net: Decimal| round(net * price.vat_percent / Decimal::ONE_HUNDRED);
    let full_vat = price.unit_vat;
    price.unit_discount = unit;
    price.unit_vat = vat_on(price.unit_net - unit);
    price.discount = unit * Decimal::from(discounted_units);
    price.vat = price.unit_vat * Decimal::from(discounted_units)
        + full_vat * Decimal::from(quantity - discounted_units);
    Ok(Some(index))
}

/// How an order shows a discount: `10%` or `5 USD`.
pub(crate) fn label(discount: &Discount) -> String {
    match discount {
        Discount::Percent(percent) => format!("{}%", percent.normalize()),
        Discount::Fixed { amounts, default_currency } => amounts
            .iter()
            .find(|amount| &amount.currency == default_currency)
            .map_or_else(String::new, |amount| format!("{} {}", amount.amount.normalize(), amount.currency)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaigns::{ApplyRecurring, ChannelType, CouponType, PromotionProduct, PromotionType};
    use crate::catalog::Amount;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap_or_default()
    }

    fn promotion(discount: Discount, maximum_quantity: Option<u32>) -> Promotion {
        Promotion {
            code: "P".into(),
            name: "P".into(),
            description: None,
            start_date: None,
            end_date: None,
            maximum_quantity,
            maximum_orders_number: None,
            orders_used: 0,
            instant_discount: false,
            coupon_type: CouponType::Single,
            coupons: vec!["C".into()],
            enabled: true,
            channel_type: ChannelType::Ecommerce,
            promotion_type: PromotionType::Regular,
            discount,
            products: vec![PromotionProduct {
                code: "BOOK".into(),
                pricing_configuration_code: None,
                price_option_codes: vec![],
            }],
            apply_recurring: ApplyRecurring::None,
            recurring_charges_number: None,
        }
    }

    /// A 19.99 net unit with 19% VAT, three units.
    fn price() -> ItemPrice {
        ItemPrice {
            currency: "EUR".into(),
            vat_percent: dec("19"),
            unit_net: dec("19.99"),
            unit_vat: dec("3.80"),
            unit_gross: dec("23.79"),
            net: dec("59.97"),
            vat: dec("11.40"),
            gross: dec("71.37"),
            ..ItemPrice::default()
        }
    }

    /// Each row: discount, maximum quantity, then unit discount, discount, VAT and amount paid,
    /// computed by hand.
    #[test]
    fn discounted_prices_match_hand_computed_values() {
        let config = MerchantConfig::default();
        let fixed = |amount: &str| Discount::Fixed {
            amounts: vec![Amount { currency: "EUR".into(), amount: dec(amount) }],
            default_currency: "EUR".into(),
        };
        let table = [
            // 10% of 19.99 = 1.999 → 2.00; 17.99 × 19% = 3.4181 → 3.42; 3 units.
            (Discount::Percent(dec("10")), None, "2.00", "6.00", "10.26", "64.23"),
            // On two units only: the third keeps its 3.80 VAT.
            (Discount::Percent(dec("10")), Some(2), "2.00", "4.00", "10.64", "66.61"),
            // 5 EUR off: 14.99 × 19% = 2.8481 → 2.85.
            (fixed("5"), None, "5", "15", "8.55", "53.52"),
            // More than the price: the unit costs nothing.
            (fixed("25"), None, "19.99", "59.97", "0.00", "0.00"),
        ];
        for (discount, maximum, unit, total, vat, paid) in table {
            let mut priced = price();
            let promotions = [(Some("C".to_owned()), promotion(discount, maximum))];
            assert_eq!(apply_promotions(&mut priced, "BOOK", 3, &promotions, &config).ok(), Some(Some(0)));
            assert_eq!(
                (priced.unit_discount, priced.discount, priced.vat, priced.gross_discounted()),
                (dec(unit), dec(total), dec(vat), dec(paid))
            );
        }
    }

    #[test]
    fn a_promotion_for_other_products_changes_nothing() {
        let mut priced = price();
        let promotions = [(None, promotion(Discount::Percent(dec("50")), None))];
        let config = MerchantConfig::default();
        assert_eq!(apply_promotions(&mut priced, "OTHER", 3, &promotions, &config).ok(), Some(None));
        assert_eq!(priced, price());
    }
}
