//! The merchant data file: everything the emulator seeds, per merchant, in JSON with the
//! vendor's object shapes (the same JSON the API takes), loaded at start and idempotently — what
//! a merchant already has is left as it is, so loading twice or from several instances adds
//! nothing. The demo merchant's data (`data/demo.json`) is built in.
//!
//! ```json
//! {"Merchants": [{
//!   "Code": "TCODEMO",
//!   "Currencies": [{"Code": "USD", "ISO3DigitCode": "840", "Label": "United States Dollar", "Symbol": "$",
//!                   "SymbolPosition": "left", "DecimalSeparator": ".", "UnitSeparator": ",", "Decimals": "2"}],
//!   "CurrencyAvailability": {"*": {"CC": ["USD"]}, "RO": {"CC": ["USD"]}},
//!   "VatRates": {"RO": 19},
//!   "CartTemplates": ["Default Template"],
//!   "ProductGroups": [{"Code": "DBA13A4268", "Name": "General", "TemplateName": "Default Template"}],
//!   "PriceOptionGroups": [{"Code": "USERS", "Name": "Users", "Type": "INTERVAL", "Options": […]}],
//!   "Products": [{"ProductCode": "my_subscription_1", …, "UpgradeSchema": {…}}],
//!   "Customers": [{"ExternalCustomerReference": "FIX-1", "FirstName": "Ada", …, "Enabled": true,
//!                  "ExistingCards": [{"CardType": "visa", …, "TransientToken": {"Token": "…"}}]}],
//!   "ExchangeRates": {"EUR": 0.92}, "HomeCountry": "US",
//!   "ShippingMethods": [{"Code": "Code1", "Name": "…", "BasePrice": 5, "Currency": "USD", "Availability": "ALL",
//!                        "Countries": [{"CountryCode": "AU", "Surcharge": 10}], "Surcharge": [{"Type": "WEIGHT", …}]}],
//!   "UpsellCampaigns": [{"Code": "fc580e11-…", "Name": "…", …}], "Promotions": [{"Code": "…", "Coupon": {…}, …}],
//!   "CrossSellTexts": [{"Language": "en", "Title": "…", "Description": "…"}],
//!   "BuyLinkSecretWord": "…",
//!   "Partners": [{"PartnerCode": "Partner123", "UUID": "…", "CompanyCommercialName": "…", "Active": true,
//!                 "Country": "DE", "Users": [{"Email": "…", "FirstName": "…"}], "PricingLists": ["PL_DEFAULT"]}],
//!   "PricingLists": [{"Code": "PL_DEFAULT", "Name": "…", "Default": true, "Currency": "USD", "PartnerMargin": 20,
//!                     "Products": ["my_subscription_1"]}],
//!   "Orders": [{"RefNo": "670174996", "Status": "COMPLETE", "Items": [{"Code": "my_subscription_1"}],
//!               "BillingDetails": {…}, "PaymentDetails": {"Type": "CC", "PaymentMethod": {…}},
//!               "SubscriptionReferences": ["8AF9A9DC95"]}]
//! }]}
//! ```
//!
//! An order is the Order `placeOrder` takes, priced from the catalog and paid with a test card
//! (or `PAYPAL` with a `Status`, which only the data file can give), plus what an API call cannot set: its
//! `RefNo`, `Status` and `ApproveStatus`, its `OrderDate` (placed at loading when absent) and its
//! subscriptions' references. Orders are loaded after the customers they may name.
//!
//! Settings a merchant's file leaves out keep their defaults (US dollars, euros and pounds; the
//! "Default Template"). Earlier files — a list of customers, or `{"Customers": […]}` with a
//! `Merchant` on each — are still read.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use tco_api::Money;
use tco_api::cross_sell::CrossSellText;
use tco_api::currencies::Currency;
use tco_api::customers::Customer;
use tco_api::orders::Order;
use tco_api::price_options::PriceOptionGroup;
use tco_api::product_groups::ProductGroup;
use tco_api::products::Product;
use tco_api::promotions::Promotion;
use tco_api::shipping::ShippingMethod;
use tco_api::upgrades::UpgradeSchema;
use tco_api::upsell::UpsellCampaign;
use tco_core::{
    ApproveStatus, CampaignFixture, Card, CatalogFixture, Decimal, FixtureCustomer, Gateway, Merchant,
    MerchantConfig, OrderFixture, OrderStatus, SecretKey, shipping_method,
};

/// The demo merchant's data, loaded when the demo merchant is served.
pub const DEMO_DATA: &str = include_str!("../../../data/demo.json");

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DataFile {
    Merchants {
        #[serde(rename = "Merchants")]
        merchants: Vec<MerchantData>,
    },
    List(Vec<CustomerFixture>),
    Customers {
        #[serde(rename = "Customers", alias = "customers")]
        customers: Vec<CustomerFixture>,
    },
}

/// One merchant's data.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct MerchantData {
    code: String,
    currencies: Option<Vec<Currency>>,
    /// Country (or `*` for every other) → payment method → currency codes.
    currency_availability: Option<BTreeMap<String, BTreeMap<String, Vec<String>>>>,
    vat_rates: BTreeMap<String, Money>,
    cart_templates: Option<Vec<String>>,
    product_groups: Vec<ProductGroup>,
    price_option_groups: Vec<PriceOptionGroup>,
    products: Vec<ProductFixture>,
    customers: Vec<CustomerFixture>,
    orders: Vec<OrderData>,
    /// Currency → units of it per unit of the first (default) currency.
    exchange_rates: Option<BTreeMap<String, Money>>,
    /// Where `HOME` shipping methods deliver.
    home_country: Option<String>,
    shipping_methods: Vec<ShippingMethod>,
    upsell_campaigns: Vec<UpsellCampaign>,
    promotions: Vec<Promotion>,
    cross_sell_texts: Vec<CrossSellText>,
    /// The key of cart signatures (`--merchant CODE:SECRET:WORD` overrides it).
    buy_link_secret_word: Option<String>,
    partners: Vec<PartnerData>,
    pricing_lists: Vec<PricingListData>,
}

/// A Channel Manager partner.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PartnerData {
    partner_code: String,
    #[serde(rename = "UUID", default)]
    uuid: String,
    #[serde(default)]
    company_commercial_name: String,
    #[serde(default = "active")]
    active: bool,
    /// Its VAT applies to its prices.
    #[serde(default)]
    country: String,
    #[serde(default)]
    users: Vec<PartnerUserData>,
    /// The codes of its pricing lists.
    #[serde(default)]
    pricing_lists: Vec<String>,
}

fn active() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PartnerUserData {
    email: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
}

/// A pricing list: the products it offers in one currency, and the partner's margin (percent
/// of the catalog's net price).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PricingListData {
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    default: bool,
    currency: String,
    #[serde(default)]
    partner_margin: Option<Money>,
    #[serde(default)]
    products: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct OrderData {
    #[serde(rename = "SubscriptionReferences", default)]
    subscription_references: Vec<String>,
    #[serde(flatten)]
    order: Order,
}

#[derive(Debug, Deserialize)]
struct ProductFixture {
    #[serde(rename = "UpgradeSchema", default)]
    upgrade_schema: Option<UpgradeSchema>,
    #[serde(flatten)]
    product: Product,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CustomerFixture {
    #[serde(default)]
    merchant: Option<String>,
    #[serde(default)]
    enabled: bool,
    #[serde(default)]
    trial: bool,
    #[serde(default)]
    existing_cards: Vec<CardFixture>,
    #[serde(flatten)]
    customer: Customer,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CardFixture {
    card_type: String,
    last_digits: String,
    expiration_month: String,
    expiration_year: String,
    name_on_card: String,
    #[serde(default)]
    transient_token: Option<TokenFixture>,
}

/// `{"Token": "…"}` as the API shows it, or the bare string.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum TokenFixture {
    Object {
        #[serde(rename = "Token")]
        token: String,
    },
    Bare(String),
}

#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("cannot read the data file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("invalid data file {path}: {source}")]
    Parse { path: String, source: serde_json::Error },
    #[error("{path}: customer #{index} names no Merchant, and several merchants are configured")]
    NoMerchant { path: String, index: usize },
    #[error("{path}: merchant {merchant} is not configured (add it with --merchant)")]
    UnknownMerchant { path: String, merchant: String },
    #[error("{path}: {what} of merchant {merchant} was refused: {source}")]
    Refused { path: String, merchant: String, what: String, source: tco_core::Error },
}

/// Loads the data file at `path`; returns how many objects were added. With `only_served`, the
/// data of merchants not in `merchants` is skipped rather than refused.
pub async fn load(
    gateway: &Gateway,
    merchants: &[Merchant],
    path: &Path,
    only_served: bool,
) -> Result<usize, FixtureError> {
    let shown = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|source| FixtureError::Read { path: shown.clone(), source })?;
    load_text(gateway, merchants, &text, &shown, only_served).await
}

/// Loads what the gateway starts with for `merchants`: the demo data (for the demo merchant) and
/// the configured data file. With `only_served`, the file's other merchants are skipped.
pub async fn load_configured(
    gateway: &Gateway,
    merchants: &[Merchant],
    file: Option<&Path>,
    only_served: bool,
) -> Result<usize, FixtureError> {
    let mut added = load_text(gateway, merchants, DEMO_DATA, "the built-in demo data", true).await?;
    if let Some(path) = file {
        added += load(gateway, merchants, path, only_served).await?;
    }
    Ok(added)
}

/// Loads data from `text` (named `path` in errors). With `only_served`, the data of merchants
/// that are not served is skipped rather than refused (the built-in demo data).
pub async fn load_text(
    gateway: &Gateway,
    merchants: &[Merchant],
    text: &str,
    path: &str,
    only_served: bool,
) -> Result<usize, FixtureError> {
    let file: DataFile =
        serde_json::from_str(text).map_err(|source| FixtureError::Parse { path: path.to_owned(), source })?;
    let data = match file {
        DataFile::Merchants { merchants } => merchants,
        DataFile::List(customers) | DataFile::Customers { customers } => {
            customers_by_merchant(customers, merchants, path)?
        }
    };
    let mut added = 0;
    for merchant in data {
        if !merchants.iter().any(|served| served.code == merchant.code) {
            if only_served {
                continue;
            }
            return Err(FixtureError::UnknownMerchant { path: path.to_owned(), merchant: merchant.code });
        }
        added += load_merchant(gateway, merchant, path).await?;
    }
    Ok(added)
}

/// Customers of the old format, grouped by their `Merchant`.
fn customers_by_merchant(
    customers: Vec<CustomerFixture>,
    merchants: &[Merchant],
    path: &str,
) -> Result<Vec<MerchantData>, FixtureError> {
    let mut data: Vec<MerchantData> = Vec::new();
    for (index, mut customer) in customers.into_iter().enumerate() {
        let code = match (customer.merchant.take(), merchants) {
            (Some(code), _) => code,
            (None, [only]) => only.code.clone(),
            (None, _) => return Err(FixtureError::NoMerchant { path: path.to_owned(), index }),
        };
        match data.iter_mut().find(|merchant| merchant.code == code) {
            Some(merchant) => merchant.customers.push(customer),
            None => data.push(MerchantData { code, customers: vec![customer], ..MerchantData::default() }),
        }
    }
    Ok(data)
}

async fn load_merchant(gateway: &Gateway, data: MerchantData, path: &str) -> Result<usize, FixtureError> {
    let code = data.code.clone();
    let refused = |what: String| {
        let (path, merchant) = (path.to_owned(), code.clone());
        move |source| FixtureError::Refused { path, merchant, what, source }
    };
    let config = config(&data).map_err(refused("the shipping methods".into()))?;
    gateway.configure_merchant(&code, config);
    let mut schemas = Vec::new();
    let mut products = Vec::new();
    for fixture in data.products {
        if let Some(schema) = fixture.upgrade_schema {
            schemas.push((fixture.product.ProductCode.clone().unwrap_or_default(), schema.into()));
        }
        products.push(fixture.product.into());
    }
    let catalog = CatalogFixture {
        product_groups: data.product_groups.into_iter().map(Into::into).collect(),
        price_option_groups: data.price_option_groups.into_iter().map(Into::into).collect(),
        products,
        upgrade_schemas: schemas,
    };
    let mut added = gateway.load_catalog(&code, catalog).await.map_err(refused("the catalog".into()))?;
    let campaigns = CampaignFixture {
        upsell_campaigns: data.upsell_campaigns.into_iter().map(Into::into).collect(),
        promotions: data.promotions.into_iter().map(Into::into).collect(),
        cross_sell_texts: data.cross_sell_texts.into_iter().map(Into::into).collect(),
    };
    added += gateway.load_campaigns(&code, campaigns).await.map_err(refused("the campaigns".into()))?;
    for (index, fixture) in data.customers.into_iter().enumerate() {
        let customer = FixtureCustomer {
            input: fixture.customer.into(),
            enabled: fixture.enabled,
            trial: fixture.trial,
            cards: fixture.existing_cards.into_iter().map(card).collect(),
        };
        let loaded =
            gateway.load_fixture(&code, customer).await.map_err(refused(format!("customer #{index}")))?;
        added += usize::from(loaded.is_some());
    }
    for (index, data) in data.orders.into_iter().enumerate() {
        let what = || format!("order #{index}");
        let fixture = order(gateway, data).map_err(refused(what()))?;
        let loaded = gateway.load_order(&code, fixture).await.map_err(refused(what()))?;
        added += usize::from(loaded.is_some());
    }
    Ok(added)
}

/// An order of the file with what only the file sets.
fn order(gateway: &Gateway, data: OrderData) -> Result<OrderFixture, tco_core::Error> {
    let order = data.order;
    let status = order.Status.as_deref().map(|text| {
        OrderStatus::parse(text).ok_or_else(|| {
            tco_core::Error::invalid(
                "Status",
                format!("\"{text}\" is not one of {}", OrderStatus::NAMES.join(", ")),
            )
        })
    });
    let approve_status = order.ApproveStatus.as_deref().map(|text| {
        ApproveStatus::parse(text).ok_or_else(|| {
            tco_core::Error::invalid(
                "ApproveStatus",
                format!("\"{text}\" is not one of {}", ApproveStatus::NAMES.join(", ")),
            )
        })
    });
    let age = order
        .OrderDate
        .as_deref()
        .map(|text| {
            chrono::NaiveDateTime::parse_from_str(text, tco_core::DATE_FORMAT)
                .map(|date| gateway.now() - date.and_utc())
                .map_err(|_| {
                    tco_core::Error::invalid("OrderDate", format!("\"{text}\" is not YYYY-MM-DD HH:MM:SS"))
                })
        })
        .transpose()?;
    Ok(OrderFixture {
        ref_no: order.RefNo.clone().map(|text| text.0),
        status: status.transpose()?,
        approve_status: approve_status.transpose()?,
        age,
        subscription_references: data.subscription_references,
        input: order.into(),
        ..OrderFixture::default()
    })
}

/// The merchant's settings: what the file gives, the defaults for the rest.
fn config(data: &MerchantData) -> Result<MerchantConfig, tco_core::Error> {
    let defaults = MerchantConfig::default();
    let lower = |key: &str| key.trim().to_ascii_lowercase();
    let mut config = MerchantConfig {
        currencies: match &data.currencies {
            Some(currencies) => currencies.iter().cloned().map(currency).collect(),
            None => defaults.currencies,
        },
        availability: match &data.currency_availability {
            Some(rules) => rules
                .iter()
                .map(|(country, methods)| {
                    let methods = methods
                        .iter()
                        .map(|(method, codes)| (method.trim().to_ascii_uppercase(), codes.clone()));
                    (lower(country), methods.collect())
                })
                .collect(),
            None => defaults.availability,
        },
        vat_rates: data.vat_rates.iter().map(|(country, rate)| (lower(country), rate.0)).collect(),
        cart_templates: data.cart_templates.clone().unwrap_or(defaults.cart_templates),
        exchange_rates: match &data.exchange_rates {
            Some(rates) => {
                rates.iter().map(|(code, rate)| (code.trim().to_ascii_uppercase(), rate.0)).collect()
            }
            None => defaults.exchange_rates,
        },
        home_country: data.home_country.as_deref().map_or(defaults.home_country, lower),
        shipping_methods: Vec::new(),
        partners: data.partners.iter().map(partner).collect(),
        pricing_lists: data
            .pricing_lists
            .iter()
            .map(|list| tco_core::PricingList {
                code: list.code.trim().to_owned(),
                name: list.name.clone(),
                default: list.default,
                currency: list.currency.trim().to_ascii_uppercase(),
                partner_margin: list.partner_margin.as_ref().map_or(Decimal::ZERO, |margin| margin.0),
                products: list.products.clone(),
            })
            .collect(),
        buy_link_secret_word: data.buy_link_secret_word.clone().map(SecretKey::new),
    };
    config.shipping_methods = data
        .shipping_methods
        .iter()
        .map(|method| shipping_method(method.clone().into(), &config))
        .collect::<Result<_, _>>()?;
    Ok(config)
}

fn partner(data: &PartnerData) -> tco_core::Partner {
    tco_core::Partner {
        code: data.partner_code.trim().to_owned(),
        uuid: data.uuid.clone(),
        name: data.company_commercial_name.clone(),
        active: data.active,
        country: data.country.trim().to_ascii_lowercase(),
        users: data
            .users
            .iter()
            .map(|user| tco_core::PartnerUser {
                email: user.email.trim().to_owned(),
                first_name: user.first_name.clone(),
                last_name: user.last_name.clone(),
            })
            .collect(),
        pricing_lists: data.pricing_lists.iter().map(|code| code.trim().to_owned()).collect(),
    }
}

fn currency(currency: Currency) -> tco_core::Currency {
    tco_core::Currency {
        code: currency.Code.unwrap_or_default().to_ascii_uppercase(),
        iso3_digit_code: currency.ISO3DigitCode.unwrap_or_default(),
        label: currency.Label.unwrap_or_default(),
        symbol: currency.Symbol.unwrap_or_default(),
        symbol_position: currency.SymbolPosition.unwrap_or_else(|| "left".into()),
        decimal_separator: currency.DecimalSeparator.unwrap_or_else(|| ".".into()),
        unit_separator: currency.UnitSeparator.unwrap_or_else(|| ",".into()),
        decimals: currency.Decimals.unwrap_or_else(|| "2".into()),
    }
}

fn card(fixture: CardFixture) -> Card {
    Card {
        card_type: fixture.card_type,
        last_digits: fixture.last_digits,
        expiration_month: fixture.expiration_month,
        expiration_year: fixture.expiration_year,
        name_on_card: fixture.name_on_card,
        transient_token: fixture.transient_token.map(|token| match token {
            TokenFixture::Object { token } | TokenFixture::Bare(token) => token,
        }),
    }
}
