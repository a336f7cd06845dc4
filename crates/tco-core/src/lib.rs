//! `tco-core` is the protocol-neutral heart of tco-gateway, a re-implementation of the
//! 2Checkout (Avangate) merchant API 6.0: merchants and their HMAC authentication, sessions,
//! the operations by family (`customers`: validation, search, single sign-on tokens, stored
//! cards; `catalog`: products, pricing, price options, product groups, currencies, upgrade
//! schemas; `campaigns`: upsell campaigns, cross-sell texts, promotions and coupons; `shipping`;
//! `orders`; `partners` (Channel Manager); `subscriptions`: status on the clock, recurring
//! billing, the hosted cart's renewal rules), the call journal, the admin controls (time travel,
//! fault injection, erasing a merchant), the one error catalogue, and the ports (a store per
//! family, clock, randomness) the outside world plugs into.
//!
//! It must not depend on any web, wire-format or database crate (no axum, hyper, jsonrpsee,
//! quick-xml, serde_json, sqlx): domain types here are not wire types, and the REST, JSON-RPC
//! and SOAP adapters each own their DTOs and convert.

#[macro_use]
mod enums;
mod auth;
mod buy_links;
mod campaigns;
mod catalog;
mod customers;
mod error;
mod faults;
mod gateway;
mod journal;
mod kernel;
mod merchant;
mod notifications;
mod orders;
mod partners;
mod session_cache;
mod settings;
mod shipping;
mod snapshot;
mod subscriptions;
mod time_travel;

pub use auth::{Credentials, DATE_FORMAT, HashAlgorithm, hmac_hex, length_prefixed, sign, string_to_sign};
pub use buy_links::{
    BuyLinkReturn, MerchantToken, PayloadMembers, PayloadValue, payload_parameters,
    serialize as serialize_buy_link, sign as sign_buy_link, sign_return,
};
pub use campaigns::CampaignStore;
pub use campaigns::{
    ApplyRecurring, CROSS_SELL_LANGUAGES, CampaignFixture, CampaignProduct, CampaignProductInput,
    CampaignStatus, ChannelType, CouponInput, CouponType, CrossSellText, CrossSellTextInput, Discount,
    DiscountInput, DiscountType, OptionSelection, OptionSelectionInput, Promotion, PromotionInput,
    PromotionProduct, PromotionProductInput, PromotionQuery, PromotionSearchInput, PromotionType,
    UpsellCampaign, UpsellCampaignInput, UpsellQuery, UpsellSearchInput,
};
pub use catalog::CatalogStore;
pub use catalog::{
    Amount, AmountInput, CatalogFixture, CycleUnit, Impact, ImpactMethod, OptionChoice, OptionChoiceInput,
    OptionGroupType, Price, PriceImpact, PriceImpactInput, PriceInput, PriceOption, PriceOptionGroup,
    PriceOptionGroupInput, PriceOptionInput, PriceOptionUse, PriceOptionUseInput, PriceType,
    PricingConfiguration, PricingConfigurationInput, PricingSchema, Product, ProductFields, ProductGroup,
    ProductGroupInput, ProductId, ProductInput, ProductKey, ProductQuery, ProductSearchInput, ProductType,
    Recurrence, SubscriptionImpact, SubscriptionImpactInput, UpgradeSchema, UpgradeSchemaInput,
};
pub use customers::{
    Card, Credit, CreditInput, Customer, CustomerFields, CustomerInput, CustomerLookup, CustomerReference,
    DEFAULT_VALIDITY_SECS, FixtureCustomer, MAX_VALIDITY_SECS, SearchInput, SearchQuery, SignOnRequest,
    email_key, validate_customer,
};
pub use customers::{CustomerStatus, CustomerStore, SsoGrant};
pub use error::{Error, ErrorCode, Result, StoreError, StoreResult, Unique};
pub use faults::{Fault, FaultAction, FaultError, FaultRule, Faults, MAX_FAULTS};
pub use gateway::{AdminStore, SessionRecord, SessionStore, Store, Transaction};
pub use gateway::{Announcement, Gateway, LegacyAccount, SessionId, Settings, Subject, refund_of};
pub use gateway::{EXPORT_SIGNED, Export, ExportFilter, ExportStatus};
pub use gateway::{PaymentInformation, UpgradeOption, UpgradePrice, UpgradeQuote};
pub use journal::{Call, CallObserver, Journal, JournalEntry, JournalFilter, Outcome, Protocol, REDACTED};
pub use kernel::clock::{Clock, ManualClock, SystemClock};
pub use kernel::iso::{country_alpha3, country_name};
pub use kernel::paging::{DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, Page};
pub use kernel::random::{CountingRandom, OsRandom, RandomError, RandomSource};
pub use merchant::{LegacyApiUser, Merchant, MerchantContext, Merchants, SecretKey};
pub use notifications::{
    Attempt, Delivery, DeliveryFilter, DeliveryState, DispatchReason, DueEvent, InsMessage, IpnStatus,
    Message, NewEvent, NotificationKind, NotificationSettings, NotificationStore, next_attempt,
};
pub use orders::{
    AUTHORIZED_CARDS, Address, AddressInput, AppliedPromotion, ApproveStatus, CardSummary, DECLINED_CARDS,
    DynamicItem, DynamicOption, DynamicOptionInput, ItemInput, ItemPrice, OptionGroup, OptionGroupInput,
    Order, OrderInput, OrderItem, OrderQuery, OrderSearchInput, OrderStatus, Payment, PaymentInput,
    PaymentType, Placement, PurchaseType, RENEWAL_DECLINED_CARDS, RecurringInput, RecurringOptions, RefNo,
    ShippingChoice, Subscription, Upgraded,
};
pub use orders::{Adjustments, Chargeback, Refund, RefundInput, RefundKind, RefundLine, RefundLineInput};
pub use orders::{
    NewOrder, OrderAdjustment, OrderComment, OrderCustomer, OrderStore, PromotionUse, Renewal, UpgradedTo,
};
pub use partners::PartnerStore;
pub use partners::{PARTNER_SIGN_ON_PATH, PartnerGrant, PartnerSignIn, PartnerSignOnRequest, UnitPrice};
pub use rust_decimal::Decimal;
pub use settings::{
    Availability, Currency, EVERY_COUNTRY, MerchantConfig, Partner, PartnerUser, PricingList, RefundSettings,
    ShippingMethod, Surcharge, SurchargeApplyTo, SurchargeType,
};
pub use shipping::{
    ShippingAmounts, ShippingMethodInput, ShippingPrice, ShippingPriceInput, ShippingSearchInput,
    SurchargeInput, shipping_method,
};
pub use snapshot::{Cell, StoredState, TableRows};
pub use subscriptions::SubscriptionStore;
pub use subscriptions::cart::{CHECKOUT_PATH, CartShopper, RENEWAL_PATH};
pub use subscriptions::{
    ChurnReason, NewSubscriptionImport, Origin, SubscriptionChange, SubscriptionImport,
    SubscriptionImportInput, SubscriptionQuery, SubscriptionRecord, SubscriptionSearchInput,
    SubscriptionStatus, SubscriptionUpdateInput,
};
pub use subscriptions::{FieldRefusal, FieldWrite, HistoryKind, HistoryRecord, MAX_FIELDS, RenewalRecord};
pub use time_travel::{ClockChange, ClockSetting, TravelClock};
