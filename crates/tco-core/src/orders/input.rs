//! What `placeOrder` receives, before validation: every field optional, as sent.

use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderInput {
    pub external_reference: Option<String>,
    pub currency: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub customer_ip: Option<String>,
    pub source: Option<String>,
    pub affiliate_code: Option<String>,
    pub affiliate_source: Option<String>,
    /// The customer the order is for: `AvangateCustomerReference` or an external reference.
    pub customer_reference: Option<i64>,
    pub external_customer_reference: Option<String>,
    pub items: Vec<ItemInput>,
    pub billing: Option<AddressInput>,
    pub delivery: Option<AddressInput>,
    pub payment: Option<PaymentInput>,
    /// Coupon codes (`Promotions`).
    pub coupons: Vec<String>,
    /// `DeliveryInformation.ShippingMethod.Code`.
    pub shipping_method: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemInput {
    pub code: Option<String>,
    pub quantity: Option<i64>,
    /// Price option codes chosen.
    pub price_options: Vec<String>,
    pub trial: Option<bool>,
    /// A dynamic product (`IsDynamic`): described and priced by the item itself, not the catalog.
    pub is_dynamic: Option<bool>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub tangible: Option<bool>,
    /// `Price.Amount`: a dynamic product's net unit price, in the order's currency.
    pub price_amount: Option<Decimal>,
    /// `Price.Type`: `CUSTOM` for a dynamic product.
    pub price_type: Option<String>,
    /// A dynamic product's options, each group with the option the shopper got.
    pub option_groups: Vec<OptionGroupInput>,
    pub recurring: Option<RecurringInput>,
}

/// `{Name, Options: [{Name, Value, OptionText, Surcharge}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OptionGroupInput {
    pub name: Option<String>,
    pub options: Vec<DynamicOptionInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DynamicOptionInput {
    pub name: Option<String>,
    pub value: Option<String>,
    pub option_text: Option<String>,
    /// Added to the unit price, in the order's currency.
    pub surcharge: Option<Decimal>,
}

/// A dynamic product's billing cycle (`RecurringOptions`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecurringInput {
    pub cycle_length: Option<i64>,
    pub cycle_unit: Option<String>,
    /// What each renewal costs.
    pub cycle_amount: Option<Decimal>,
    pub contract_length: Option<i64>,
    pub contract_unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddressInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub fiscal_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub country_code: Option<String>,
}

impl AddressInput {
    /// Whether only the e-mail is given (a `PREVIOUS_ORDER` order then copies the rest).
    pub fn only_email(&self) -> bool {
        let given = |value: &Option<String>| value.as_deref().is_some_and(|value| !value.trim().is_empty());
        [
            &self.first_name,
            &self.last_name,
            &self.company,
            &self.fiscal_code,
            &self.phone,
            &self.address1,
            &self.address2,
            &self.city,
            &self.state,
            &self.zip,
            &self.country_code,
        ]
        .into_iter()
        .all(|value| !given(value))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PaymentInput {
    pub payment_type: Option<String>,
    pub currency: Option<String>,
    pub customer_ip: Option<String>,
    pub card_number: Option<String>,
    pub card_type: Option<String>,
    pub expiration_month: Option<String>,
    pub expiration_year: Option<String>,
    pub ccid: Option<String>,
    pub holder_name: Option<String>,
    pub recurring_enabled: Option<bool>,
    /// `PREVIOUS_ORDER`: the earlier order's `RefNo`.
    pub ref_no: Option<String>,
}

/// REST `GET /orders/` filters as sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderSearchInput {
    pub ref_no: Option<String>,
    pub status: Option<String>,
    pub approve_status: Option<String>,
    /// Orders placed since this moment, when no `start_date` is given.
    pub newer: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub partner_orders: Option<bool>,
    pub external_ref_no: Option<String>,
    /// `YES` (the default), `NO` or `ONLY`.
    pub include_test_orders: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

impl PaymentInput {
    /// A card payment (`CC`) in `currency`, the card being the stored one a placement names.
    pub(crate) fn card(currency: &str, recurring_enabled: bool) -> Self {
        PaymentInput {
            payment_type: Some(crate::orders::PaymentType::Card.as_str().to_owned()),
            currency: Some(currency.to_owned()),
            recurring_enabled: Some(recurring_enabled),
            ..PaymentInput::default()
        }
    }
}

/// An address as an order sends it (a renewal's billing details, from the subscription's end user).
impl From<&crate::orders::Address> for AddressInput {
    fn from(address: &crate::orders::Address) -> Self {
        AddressInput {
            first_name: Some(address.first_name.clone()),
            last_name: Some(address.last_name.clone()),
            company: address.company.clone(),
            fiscal_code: address.fiscal_code.clone(),
            email: Some(address.email.clone()),
            phone: address.phone.clone(),
            address1: Some(address.address1.clone()),
            address2: address.address2.clone(),
            city: Some(address.city.clone()),
            state: address.state.clone(),
            zip: Some(address.zip.clone()),
            country_code: Some(address.country_code.clone()),
        }
    }
}
