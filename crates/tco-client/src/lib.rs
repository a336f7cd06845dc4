//! `tco-client` is a Rust client for the 2Checkout (Avangate) API 6.0: one [`Api`] trait with
//! the customer operations, extension traits for the other families ([`CatalogApi`],
//! [`OrdersApi`]) written
//! once over [`Api::send`], and three transports — [`RestClient`] (every request signed with
//! `X-Avangate-Authentication`), [`JsonRpcClient`] and [`SoapClient`] (which log in, keep the
//! session and log in again when it expires). Errors carry the wire's error code string, so the
//! same assertion holds on every transport. It works against tco-gateway and, being written to
//! the vendor's wire formats, against any server that speaks them.
//!
//! It depends on reqwest, serde and quick-xml (with `tco-xml` to read SOAP answers), never on
//! the gateway's own crates: it talks to a server only over HTTP.
//!
//! ```no_run
//! use tco_client::{Api, Credentials, Customer, JsonRpcClient, Reference, RestClient, SoapClient};
//!
//! # async fn run() -> Result<(), tco_client::ClientError> {
//! let credentials = Credentials::new("TCODEMO", "tco-demo-secret");
//! let base = "http://127.0.0.1:8080";
//! let clients: Vec<Box<dyn Api>> = vec![
//!     Box::new(RestClient::new(base, credentials.clone())?),
//!     Box::new(JsonRpcClient::new(base, credentials.clone())),
//!     Box::new(SoapClient::new(base, credentials)),
//! ];
//! for client in &clients {
//!     let customer = Customer {
//!         first_name: Some("Ada".into()),
//!         last_name: Some("Lovelace".into()),
//!         address1: Some("12 St James's Square".into()),
//!         city: Some("London".into()),
//!         zip: Some("SW1Y 4JH".into()),
//!         country_code: Some("GB".into()),
//!         email: Some("ada@example.com".into()),
//!         ..Customer::default()
//!     };
//!     let reference = client.create_customer(&customer).await?;
//!     let stored = client.get_customer(&Reference::Internal(reference)).await?;
//!     assert_eq!(stored.country_code.as_deref(), Some("gb"));
//!     // The same failure, the same code, whatever the protocol:
//!     let missing = client.get_customer(&Reference::Internal(1)).await.unwrap_err();
//!     assert_eq!(missing.code(), Some("NOT_FOUND_CUSTOMER"));
//! }
//! # Ok(())
//! # }
//! ```

#[macro_use]
mod macros;
mod auth;
mod call;
mod campaigns;
mod catalog;
mod error;
mod jsonrpc;
mod model;
mod operations;
mod orders;
mod partners;
mod rest;
mod session;
mod soap;
mod subscriptions;
mod xml;

use async_trait::async_trait;

pub use auth::{Algorithm, Credentials, Signature};
pub use call::{Call, PartnerContext, Reply, RestCall, argument};
pub use campaigns::{
    CampaignDescription, CampaignDiscount, CampaignOption, CampaignPriceOptions, CampaignsApi, CountryOnly,
    CrossSellText, Promotion, PromotionCoupon, PromotionProduct, PromotionSearchOptions,
    PromotionSearchResult, ShippingCart, ShippingItem, ShippingMethod, ShippingPrice, ShippingPriceDetails,
    ShippingPriceParts, ShippingSearchOptions, ShippingSearchResult, UpsellCampaign, UpsellProduct,
    UpsellSearchOptions, UpsellSearchResult,
};
pub use catalog::{
    CatalogApi, Currency, CurrencyAmount, OptionCodes, Price, PriceImpact, PriceOption,
    PriceOptionAssignment, PriceOptionGroup, Prices, PricingConfiguration, Product, ProductGroup,
    ProductSearchOptions, ProductSearchResult, SubscriptionImpact, SubscriptionInformation, TangibleDetails,
    UnitDetail, UpgradeSchema, UpgradeSettings,
};
pub use error::{ClientError, Result};
pub use jsonrpc::JsonRpcClient;
pub use model::{
    Card, Credit, Customer, PageRequest, Pagination, Reference, SearchOptions, SearchResult, SignOn,
    TransientToken,
};
pub use operations::OPERATIONS;
pub use orders::{
    Address, DeliveryInformation, DynamicOption, DynamicPriceOption, ItemPrice, ItemPriceOption, Order,
    OrderErrors, OrderItem, OrderPromotion, OrderRefund, OrderSearchOptions, OrderSearchResult,
    OrderShippingMethod, OrderSubscription, OrdersApi, PaymentDetails, PaymentMethod, ProductDetails,
    RecurringOptions, RefundItem,
};
pub use partners::{ChannelManagerApi, PartnerSignOn, PricingList, UnitPrice};
pub use rest::RestClient;
pub use soap::SoapClient;
pub use subscriptions::{
    AdditionalField, SubscriptionCard, SubscriptionHistoryRecord, SubscriptionPaymentInformation,
    UpgradePrice, UpgradeProductInfo,
};
pub use subscriptions::{
    EndUser, LatestSubscriptionOrder, RenewalDetails, Subscription, SubscriptionImport, SubscriptionProduct,
    SubscriptionSearchOptions, SubscriptionSearchResult, SubscriptionUpdate, SubscriptionsApi,
};

/// The transport a client speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    Rest,
    JsonRpc,
    Soap,
}

/// The API's operations, the same on every transport.
#[async_trait]
pub trait Api: Send + Sync {
    fn protocol(&self) -> Protocol;

    /// Authenticates now: `login` on JSON-RPC and SOAP (keeping the session); on REST, which
    /// signs every request instead, a signed one-item search.
    async fn login(&self) -> Result<()>;

    /// Returns the new `AvangateCustomerReference`.
    async fn create_customer(&self, customer: &Customer) -> Result<i64>;

    /// The customer with its stored cards (without their transient tokens).
    async fn get_customer(&self, reference: &Reference) -> Result<Customer>;

    /// Replaces the fields of the customer `customer.avangate_customer_reference` names.
    async fn update_customer(&self, customer: &Customer, end_user_update: bool) -> Result<()>;

    async fn search_customers(&self, options: &SearchOptions) -> Result<SearchResult>;

    /// A cart URL with a single-use `logintoken` for the customer.
    async fn sign_on_in_cart(&self, reference: &Reference, sign_on: &SignOn) -> Result<String>;

    /// Consumes a single sign-on token; the customer's cards carry their transient tokens.
    async fn customer_by_sso_token(&self, token: &str) -> Result<Customer>;

    /// Deletes a stored card by its transient token. REST only:
    /// [`ClientError::Unsupported`] elsewhere, as on the vendor's API.
    async fn delete_card(&self, reference: &Reference, transient_token: &str) -> Result<()>;

    /// Sends one call (with the session on JSON-RPC and SOAP, signed on REST); the families of
    /// operations ([`CatalogApi`], …) are written once over it.
    async fn send(&self, call: &Call) -> Result<Reply>;
}
