//! The merchant data file (`--fixtures`, `POST /_admin/data`, a reset, the built-in demo data):
//! everything the emulator seeds, per merchant, in JSON with the vendor's object shapes — the same
//! JSON the API takes, read with the same leniency.
//!
//! A file is read whole before anything is written, and loaded in one store transaction: a refused
//! file changes nothing, and the refusal names its place (`Merchants[0].Orders[2].Items[0].Code:
//! …`). Loading **adds to or updates what the file names and leaves the rest alone**: objects the
//! merchant already has (products and groups by code, customers by `ExternalCustomerReference`,
//! orders by `RefNo`, campaigns by code, cross-sell texts by language) are kept as they are, so
//! loading twice or from several instances adds nothing; account settings the file names (a
//! currency, a country's VAT rate, a shipping method, a partner…) are set and the others kept. The
//! first file that configures a merchant replaces the defaults' lists (currencies, where they are
//! available, cart templates), so its first currency is the default one.
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
//!   "Refunds": {"SettleAfterSeconds": 0, "AgeLimitDays": 365, "DisablesSubscriptions": true},
//!   "Notifications": {"Ipn": ["http://127.0.0.1:8000/ipn"], "Lcn": ["http://127.0.0.1:8000/lcn"]},
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
//! (or `PAYPAL` with a `Status`, which only the data file can give), plus what an API call cannot
//! set: its `RefNo`, `Status` and `ApproveStatus`, its `OrderDate` (placed at loading when absent)
//! and its subscriptions' references. Earlier files — a list of customers, or `{"Customers": […]}`
//! with a `Merchant` on each — are still read.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tco_core::{
    ApproveStatus, CampaignFixture, Card, CatalogFixture, Decimal, FixtureCustomer, Gateway, Merchant,
    MerchantConfig, OrderStatus, Placement, SecretKey, shipping_method,
};

use crate::Money;
use crate::cross_sell::CrossSellText;
use crate::currencies::Currency;
use crate::customers::Customer;
use crate::lenient::{Place, WireError, from_json};
use crate::orders::Order;
use crate::price_options::PriceOptionGroup;
use crate::product_groups::ProductGroup;
use crate::products::Product;
use crate::promotions::Promotion;
use crate::shipping::ShippingMethod;
use crate::upgrades::UpgradeSchema;
use crate::upsell::UpsellCampaign;

/// The demo merchant's data, loaded when the demo merchant is served.
pub const DEMO_DATA: &str = include_str!("../../../data/demo.json");

/// Why a data file was refused: which file, where in it, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFileError {
    pub file: String,
    pub message: String,
}

impl fmt::Display for DataFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for DataFileError {}

impl From<tco_core::Error> for DataFileError {
    /// A failure of the store while loading (not of the file).
    fn from(error: tco_core::Error) -> Self {
        DataFileError { file: "the data".into(), message: error.to_string() }
    }
}

/// A data file read whole and checked for shape; [`load`] writes it.
#[derive(Debug, Default)]
pub struct DataFile {
    name: String,
    merchants: Vec<MerchantData>,
}

impl DataFile {
    /// Reads `text` (called `name` in refusals). The data of merchants not in `served` is
    /// refused, or with `only_served` skipped (the built-in demo data).
    pub fn parse(
        text: &str,
        name: &str,
        served: &[Merchant],
        only_served: bool,
    ) -> Result<DataFile, DataFileError> {
        let refuse = |message: String| DataFileError { file: name.to_owned(), message };
        let root: Value = serde_json::from_str(text).map_err(|error| refuse(format!("not JSON: {error}")))?;
        let merchants = match &root {
            Value::Object(members) => match member(members, "Merchants") {
                Some(Value::Array(merchants)) => {
                    let mut read = Vec::new();
                    for (index, merchant) in merchants.iter().enumerate() {
                        let place = Place::path(&format!("Merchants[{index}]"));
                        read.push(MerchantData::read(merchant, &place).map_err(|error| refuse(error.0))?);
                    }
                    read
                }
                Some(_) => return Err(refuse("Merchants must be a list of merchants".into())),
                None => match member(members, "Customers") {
                    Some(customers) => {
                        customers_by_merchant(customers, "Customers", served).map_err(refuse)?
                    }
                    None => return Err(refuse("expected {\"Merchants\": [...]}".into())),
                },
            },
            Value::Array(_) => customers_by_merchant(&root, "", served).map_err(refuse)?,
            _ => return Err(refuse("expected {\"Merchants\": [...]}".into())),
        };
        let mut kept = Vec::new();
        for merchant in merchants {
            if served.iter().any(|known| known.code == merchant.code) {
                kept.push(merchant);
            } else if !only_served {
                return Err(refuse(format!(
                    "{}: merchant {} is not configured (add it with --merchant)",
                    merchant.place.label(),
                    merchant.code
                )));
            }
        }
        Ok(DataFile { name: name.to_owned(), merchants: kept })
    }

    /// The merchants it names.
    pub fn merchant_codes(&self) -> impl Iterator<Item = &str> {
        self.merchants.iter().map(|merchant| merchant.code.as_str())
    }

    /// The merchants the file holds a snapshot of (their whole state).
    pub fn snapshot_codes(&self) -> impl Iterator<Item = &str> {
        self.merchants
            .iter()
            .filter(|merchant| merchant.snapshot.is_some())
            .map(|merchant| merchant.code.as_str())
    }
}

/// The member `name` of an object, whatever its case.
fn member<'v>(members: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    members
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
        .filter(|value| !value.is_null())
}

/// Customers of the old format, grouped by their `Merchant`.
fn customers_by_merchant(
    customers: &Value,
    label: &str,
    served: &[Merchant],
) -> Result<Vec<MerchantData>, String> {
    let Value::Array(customers) = customers else {
        return Err("Customers must be a list of customers".into());
    };
    let list = Place::path(label);
    let mut data: Vec<MerchantData> = Vec::new();
    for (index, value) in customers.iter().enumerate() {
        let place = list.item(index);
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Owner {
            #[serde(rename = "Merchant")]
            merchant: Option<String>,
        }
        let owner: Owner = from_json(value, place.clone()).map_err(|error| error.0)?;
        let code = match (owner.merchant, served) {
            (Some(code), _) => code,
            (None, [only]) => only.code.clone(),
            (None, _) => {
                return Err(format!(
                    "{}: names no Merchant, and several merchants are served",
                    place.label()
                ));
            }
        };
        let customer = CustomerData::read(value, &place).map_err(|error| error.0)?;
        match data.iter_mut().find(|merchant| merchant.code == code) {
            Some(merchant) => merchant.customers.push((place, customer)),
            None => {
                let mut merchant = MerchantData::empty(code);
                merchant.customers.push((place, customer));
                data.push(merchant);
            }
        }
    }
    Ok(data)
}

/// One merchant's data, each object with its place in the file.
#[derive(Debug)]
struct MerchantData {
    place: Place,
    code: String,
    settings: Settings,
    shipping_methods: Vec<(Place, ShippingMethod)>,
    partners: Vec<(Place, PartnerData)>,
    pricing_lists: Vec<(Place, PricingListData)>,
    product_groups: Vec<(Place, ProductGroup)>,
    price_option_groups: Vec<(Place, PriceOptionGroup)>,
    products: Vec<(Place, Product, Option<UpgradeSchema>)>,
    upsell_campaigns: Vec<(Place, UpsellCampaign)>,
    promotions: Vec<(Place, Promotion)>,
    cross_sell_texts: Vec<(Place, CrossSellText)>,
    customers: Vec<(Place, CustomerData)>,
    orders: Vec<(Place, Order, OrderExtras)>,
    /// A snapshot's stored state (`GET /_admin/snapshot`), put back before the rest.
    snapshot: Option<tco_core::StoredState>,
}

/// The account settings that are not lists of objects.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct Settings {
    code: Option<String>,
    currencies: Option<Vec<Currency>>,
    /// Country (or `*` for every other) → payment method → currency codes.
    currency_availability: Option<BTreeMap<String, BTreeMap<String, Vec<String>>>>,
    vat_rates: Option<BTreeMap<String, Money>>,
    cart_templates: Option<Vec<String>>,
    /// Currency → units of it per unit of the first (default) currency.
    exchange_rates: Option<BTreeMap<String, Money>>,
    /// Where `HOME` shipping methods deliver.
    home_country: Option<String>,
    /// The key of cart signatures (`--merchant CODE:SECRET:WORD` overrides it).
    buy_link_secret_word: Option<String>,
    /// The merchant's IPN and LCN listeners.
    notifications: Option<NotificationsData>,
    /// `"Refunds": {"SettleAfterSeconds": 0, "AgeLimitDays": 365, "DisablesSubscriptions": true}`.
    refunds: Option<RefundsData>,
    /// `"LegacyApi": {"Username": "…", "Password": "…", "SellerId": "901234567"}`: the legacy
    /// 2Checkout API's user.
    legacy_api: Option<LegacyApiData>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct LegacyApiData {
    username: String,
    password: String,
    seller_id: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct RefundsData {
    settle_after_seconds: Option<u32>,
    age_limit_days: Option<u32>,
    disables_subscriptions: Option<bool>,
}

/// `"Notifications": {"Ipn": [url…], "Lcn": [url…], "Ins": [url…], "PendingOrders": false,
/// "IpnFields": [name…]}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct NotificationsData {
    ipn: Vec<String>,
    lcn: Vec<String>,
    /// The legacy API's INS listeners.
    ins: Vec<String>,
    pending_orders: bool,
    ipn_fields: Option<Vec<String>>,
}

/// What a product of the file may have beside the Product.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct ProductExtras {
    upgrade_schema: Option<UpgradeSchema>,
}

/// What an order of the file may have beside the Order.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct OrderExtras {
    subscription_references: Vec<String>,
}

/// A customer with what only a data file sets.
#[derive(Debug)]
struct CustomerData {
    customer: Customer,
    extras: CustomerExtras,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct CustomerExtras {
    enabled: Option<bool>,
    trial: Option<bool>,
    existing_cards: Option<Vec<CardData>>,
}

impl CustomerData {
    fn read(value: &Value, place: &Place) -> Result<Self, WireError> {
        Ok(CustomerData {
            customer: from_json(value, place.clone())?,
            extras: from_json(value, place.clone())?,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CardData {
    card_type: String,
    last_digits: String,
    expiration_month: String,
    expiration_year: String,
    name_on_card: String,
    #[serde(default)]
    transient_token: Option<TokenData>,
}

/// `{"Token": "…"}` as the API shows it, or the bare string.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum TokenData {
    Object {
        #[serde(rename = "Token")]
        token: String,
    },
    Bare(String),
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

/// Each element of the list `name` of `merchant`, with its place.
fn elements<'v>(
    merchant: &'v Map<String, Value>,
    name: &str,
    place: &Place,
) -> Result<Vec<(Place, &'v Value)>, WireError> {
    let place = place.field(name);
    match member(merchant, name) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            Ok(items.iter().enumerate().map(|(index, value)| (place.item(index), value)).collect())
        }
        Some(_) => Err(WireError(format!("{} must be a list", place.label()))),
    }
}

/// Each element of the list `name` of `merchant`, read as `T` at its place.
fn list<T: DeserializeOwned>(
    merchant: &Map<String, Value>,
    name: &str,
    place: &Place,
) -> Result<Vec<(Place, T)>, WireError> {
    elements(merchant, name, place)?
        .into_iter()
        .map(|(place, value)| Ok((place.clone(), from_json(value, place)?)))
        .collect()
}

impl MerchantData {
    fn empty(code: String) -> MerchantData {
        MerchantData {
            place: Place::path(&code),
            code,
            settings: Settings::default(),
            shipping_methods: Vec::new(),
            partners: Vec::new(),
            pricing_lists: Vec::new(),
            product_groups: Vec::new(),
            price_option_groups: Vec::new(),
            products: Vec::new(),
            upsell_campaigns: Vec::new(),
            promotions: Vec::new(),
            cross_sell_texts: Vec::new(),
            customers: Vec::new(),
            orders: Vec::new(),
            snapshot: None,
        }
    }

    fn read(value: &Value, place: &Place) -> Result<MerchantData, WireError> {
        let Value::Object(members) = value else {
            return Err(WireError(format!("{} must be an object", place.label())));
        };
        let settings: Settings = from_json(value, place.clone())?;
        let code = settings.code.clone().map(|code| code.trim().to_owned()).filter(|code| !code.is_empty());
        let code =
            code.ok_or_else(|| WireError(format!("{}.Code: the merchant's code is missing", place.label())))?;
        let mut products = Vec::new();
        for (place, value) in elements(members, "Products", place)? {
            let extras: ProductExtras = from_json(value, place.clone())?;
            products.push((place.clone(), from_json(value, place)?, extras.upgrade_schema));
        }
        let mut customers = Vec::new();
        for (place, value) in elements(members, "Customers", place)? {
            customers.push((place.clone(), CustomerData::read(value, &place)?));
        }
        let mut orders = Vec::new();
        for (place, value) in elements(members, "Orders", place)? {
            let extras: OrderExtras = from_json(value, place.clone())?;
            orders.push((place.clone(), from_json(value, place)?, extras));
        }
        let snapshot = match members.get("Snapshot") {
            Some(value) => Some(
                crate::snapshot::read(value)
                    .map_err(|error| WireError(format!("{}.{}", place.label(), error.0)))?,
            ),
            None => None,
        };
        Ok(MerchantData {
            snapshot,
            place: place.clone(),
            code,
            settings,
            shipping_methods: list(members, "ShippingMethods", place)?,
            partners: list(members, "Partners", place)?,
            pricing_lists: list(members, "PricingLists", place)?,
            product_groups: list(members, "ProductGroups", place)?,
            price_option_groups: list(members, "PriceOptionGroups", place)?,
            products,
            upsell_campaigns: list(members, "UpsellCampaigns", place)?,
            promotions: list(members, "Promotions", place)?,
            cross_sell_texts: list(members, "CrossSellTexts", place)?,
            customers,
            orders,
        })
    }
}

/// Loads `files` in one transaction: everything they hold, or — when one object is refused —
/// nothing, the merchants' settings included. Returns how many objects were added.
pub async fn load(gateway: &Gateway, files: &[DataFile]) -> Result<usize, DataFileError> {
    load_with(gateway, files, &[]).await.map(|(_, added)| added)
}

/// Erases `merchants` (their stored state and their settings), then loads `files`, all in one
/// transaction: a reset that fails changes nothing. Returns the rows erased and the objects added.
pub async fn reset(
    gateway: &Gateway,
    merchants: &[&str],
    files: &[DataFile],
) -> Result<(u64, usize), DataFileError> {
    load_with(gateway, files, merchants).await
}

async fn load_with(
    gateway: &Gateway,
    files: &[DataFile],
    erase: &[&str],
) -> Result<(u64, usize), DataFileError> {
    let mut touched: Vec<String> = erase.iter().map(|code| (*code).to_owned()).collect();
    for code in files.iter().flat_map(DataFile::merchant_codes) {
        if !touched.iter().any(|known| known == code) {
            touched.push(code.to_owned());
        }
    }
    let saved: Vec<(String, Option<Arc<MerchantConfig>>)> =
        touched.iter().map(|code| (code.clone(), gateway.configured_merchant(code))).collect();
    let loaded = gateway
        .atomically(|inside| async move {
            let mut erased = 0;
            for code in erase {
                erased += inside.erase_merchant(code).await?;
                inside.forget_merchant_config(code);
            }
            let mut added = 0;
            for file in files {
                for merchant in &file.merchants {
                    added += merchant
                        .load(&inside)
                        .await
                        .map_err(|message| DataFileError { file: file.name.clone(), message })?;
                }
            }
            Ok::<_, DataFileError>((erased, added))
        })
        .await;
    if loaded.is_err() {
        for (code, config) in saved {
            match config {
                Some(config) => gateway.configure_merchant(&code, (*config).clone()),
                None => gateway.forget_merchant_config(&code),
            }
        }
    }
    loaded
}

impl MerchantData {
    /// Loads this merchant's data (inside the loading transaction); a refusal names its place.
    async fn load(&self, gateway: &Gateway) -> Result<usize, String> {
        let code = self.code.as_str();
        let at = |place: &Place| {
            let label = place.label().to_owned();
            move |error: tco_core::Error| format!("{label}: {error}")
        };
        let config = self.config(gateway)?;
        gateway.configure_merchant(code, config);
        if let Some(notifications) = &self.settings.notifications {
            let settings = tco_core::NotificationSettings {
                ipn: notifications.ipn.clone(),
                lcn: notifications.lcn.clone(),
                ins: notifications.ins.clone(),
                pending_orders: notifications.pending_orders,
                ipn_fields: notifications.ipn_fields.clone(),
            };
            let place = self.place.field("Notifications");
            gateway.set_notification_settings(code, settings).await.map_err(at(&place))?;
        }
        let mut added = 0;
        if let Some(state) = &self.snapshot {
            let place = self.place.field("Snapshot");
            added += gateway.restore_merchant_state(code, state).await.map_err(at(&place))?;
        }
        for (place, group) in &self.product_groups {
            let fixture =
                CatalogFixture { product_groups: vec![group.clone().into()], ..CatalogFixture::default() };
            added += gateway.load_catalog(code, fixture).await.map_err(at(place))?;
        }
        for (place, group) in &self.price_option_groups {
            let fixture = CatalogFixture {
                price_option_groups: vec![group.clone().into()],
                ..CatalogFixture::default()
            };
            added += gateway.load_catalog(code, fixture).await.map_err(at(place))?;
        }
        for (place, product, _) in &self.products {
            let fixture =
                CatalogFixture { products: vec![product.clone().into()], ..CatalogFixture::default() };
            added += gateway.load_catalog(code, fixture).await.map_err(at(place))?;
        }
        for (place, product, schema) in &self.products {
            if let Some(schema) = schema {
                let product_code = product.ProductCode.clone().unwrap_or_default();
                let fixture = CatalogFixture {
                    upgrade_schemas: vec![(product_code, schema.clone().into())],
                    ..CatalogFixture::default()
                };
                added +=
                    gateway.load_catalog(code, fixture).await.map_err(at(&place.field("UpgradeSchema")))?;
            }
        }
        for (place, campaign) in &self.upsell_campaigns {
            let fixture = CampaignFixture {
                upsell_campaigns: vec![campaign.clone().into()],
                ..CampaignFixture::default()
            };
            added += gateway.load_campaigns(code, fixture).await.map_err(at(place))?;
        }
        for (place, promotion) in &self.promotions {
            let fixture =
                CampaignFixture { promotions: vec![promotion.clone().into()], ..CampaignFixture::default() };
            added += gateway.load_campaigns(code, fixture).await.map_err(at(place))?;
        }
        for (place, text) in &self.cross_sell_texts {
            let fixture =
                CampaignFixture { cross_sell_texts: vec![text.clone().into()], ..CampaignFixture::default() };
            added += gateway.load_campaigns(code, fixture).await.map_err(at(place))?;
        }
        for (place, data) in &self.customers {
            let customer = FixtureCustomer {
                input: data.customer.clone().into(),
                enabled: data.extras.enabled.unwrap_or(false),
                trial: data.extras.trial.unwrap_or(false),
                cards: data.extras.existing_cards.iter().flatten().map(card).collect(),
            };
            let loaded = gateway.load_fixture(code, customer).await.map_err(at(place))?;
            added += usize::from(loaded.is_some());
        }
        for (place, order, extras) in &self.orders {
            let fixture = order_fixture(gateway, order.clone(), extras).map_err(at(place))?;
            let loaded = gateway.load_order(code, fixture).await.map_err(at(place))?;
            added += usize::from(loaded.is_some());
        }
        Ok(added)
    }

    /// The merchant's settings after this file: what it names set over what the merchant has.
    fn config(&self, gateway: &Gateway) -> Result<MerchantConfig, String> {
        let current = gateway.configured_merchant(&self.code);
        let first = current.is_none();
        let mut config = current.map_or_else(MerchantConfig::default, |config| (*config).clone());
        let settings = &self.settings;
        let lower = |key: &str| key.trim().to_ascii_lowercase();
        if let Some(currencies) = &settings.currencies {
            let currencies: Vec<tco_core::Currency> = currencies.iter().cloned().map(currency).collect();
            if first {
                config.currencies = currencies;
            } else {
                for currency in currencies {
                    match config.currencies.iter_mut().find(|known| known.code == currency.code) {
                        Some(known) => *known = currency,
                        None => config.currencies.push(currency),
                    }
                }
            }
        }
        if let Some(rules) = &settings.currency_availability {
            if first {
                config.availability.clear();
            }
            for (country, methods) in rules {
                let rule = config.availability.entry(lower(country)).or_default();
                for (method, codes) in methods {
                    rule.insert(method.trim().to_ascii_uppercase(), codes.clone());
                }
            }
        }
        for (country, rate) in settings.vat_rates.iter().flatten() {
            config.vat_rates.insert(lower(country), rate.0);
        }
        if let Some(templates) = &settings.cart_templates {
            if first {
                config.cart_templates.clear();
            }
            for template in templates {
                if !config.cart_templates.contains(template) {
                    config.cart_templates.push(template.clone());
                }
            }
        }
        for (code, rate) in settings.exchange_rates.iter().flatten() {
            config.exchange_rates.insert(code.trim().to_ascii_uppercase(), rate.0);
        }
        if let Some(country) = &settings.home_country {
            config.home_country = lower(country);
        }
        if let Some(word) = &settings.buy_link_secret_word {
            config.buy_link_secret_word = Some(SecretKey::new(word.clone()));
        }
        if let Some(legacy) = &settings.legacy_api {
            config.legacy_api = Some(tco_core::LegacyApiUser {
                username: legacy.username.trim().to_owned(),
                password: SecretKey::new(legacy.password.clone()),
                seller_id: legacy.seller_id.trim().to_owned(),
            });
        }
        if let Some(refunds) = &settings.refunds {
            let seconds = |value: Option<u32>| value.map(|value| chrono::Duration::seconds(i64::from(value)));
            let days = |value: Option<u32>| value.map(|value| chrono::Duration::days(i64::from(value)));
            let current = &mut config.refunds;
            current.settle_after = seconds(refunds.settle_after_seconds).unwrap_or(current.settle_after);
            current.age_limit = days(refunds.age_limit_days).unwrap_or(current.age_limit);
            current.disables_subscriptions =
                refunds.disables_subscriptions.unwrap_or(current.disables_subscriptions);
        }
        for (_, data) in &self.partners {
            let partner = partner(data);
            match config.partners.iter_mut().find(|known| known.code == partner.code) {
                Some(known) => *known = partner,
                None => config.partners.push(partner),
            }
        }
        for (_, data) in &self.pricing_lists {
            let list = pricing_list(data);
            match config.pricing_lists.iter_mut().find(|known| known.code == list.code) {
                Some(known) => *known = list,
                None => config.pricing_lists.push(list),
            }
        }
        for (place, method) in &self.shipping_methods {
            let method = shipping_method(method.clone().into(), &config)
                .map_err(|error| format!("{}: {error}", place.label()))?;
            match config.shipping_methods.iter_mut().find(|known| known.code == method.code) {
                Some(known) => *known = method,
                None => config.shipping_methods.push(method),
            }
        }
        Ok(config)
    }
}

/// An order of the file with what only the file sets.
fn order_fixture(
    gateway: &Gateway,
    order: Order,
    extras: &OrderExtras,
) -> Result<Placement, tco_core::Error> {
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
                .map(|date| gateway.now().signed_duration_since(date.and_utc()))
                .map_err(|_| {
                    tco_core::Error::invalid("OrderDate", format!("\"{text}\" is not YYYY-MM-DD HH:MM:SS"))
                })
        })
        .transpose()?;
    Ok(Placement {
        ref_no: order.RefNo.clone().map(|text| text.0),
        status: status.transpose()?,
        approve_status: approve_status.transpose()?,
        age,
        subscription_references: extras.subscription_references.clone(),
        input: order.into(),
        ..Placement::default()
    })
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

fn pricing_list(list: &PricingListData) -> tco_core::PricingList {
    tco_core::PricingList {
        code: list.code.trim().to_owned(),
        name: list.name.clone(),
        default: list.default,
        currency: list.currency.trim().to_ascii_uppercase(),
        partner_margin: list.partner_margin.as_ref().map_or(Decimal::ZERO, |margin| margin.0),
        products: list.products.clone(),
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

fn card(data: &CardData) -> Card {
    Card {
        card_type: data.card_type.clone(),
        last_digits: data.last_digits.clone(),
        expiration_month: data.expiration_month.clone(),
        expiration_year: data.expiration_year.clone(),
        name_on_card: data.name_on_card.clone(),
        transient_token: data.transient_token.as_ref().map(|token| match token {
            TokenData::Object { token } | TokenData::Bare(token) => token.clone(),
        }),
    }
}
