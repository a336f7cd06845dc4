//! Orders: the vendor's Order object (one type for what `placeOrder` takes and what it answers,
//! as the vendor's samples send a read order's parts back), and `placeOrder`, `getOrder`,
//! `isValidOrderReference` and `searchOrders`.

use chrono::{DateTime, Utc};
use tco_core::{
    Address, AddressInput, DynamicItem, Error, ErrorCode, Gateway, ItemInput, ItemPrice, MerchantContext,
    Order as CoreOrder, OrderInput, OrderSearchInput, PaymentInput, RecurringInput, Result,
};

use crate::customers::{PaginationOptions, Reference};
use crate::dynamic_items::{self, OrderPriceOption, RecurringOptions};
use crate::lenient::Text;
use crate::money::Money;
use crate::operation::{Method, Operation, Route};
use crate::page::Page;
use crate::{wire_object, wire_params};

/// Dates as the vendor writes them in orders.
const DATE: &str = "%Y-%m-%d %H:%M:%S";

fn date(at: DateTime<Utc>) -> String {
    at.format(DATE).to_string()
}

wire_object! {
    /// An order. Sent to `placeOrder`: `Items` (`Code`, `Quantity`, `PriceOptions`, `Trial`),
    /// `BillingDetails`, `PaymentDetails`, and optionally `Currency`, `Language`, `Country`,
    /// `ExternalReference`, `CustomerReference` or `ExternalCustomerReference`. Answered: the
    /// stored order with its status, prices and the subscriptions it created.
    pub struct Order as "Order" {
        RefNo: Option<Text>,
        OrderNo: Option<i64>,
        ExternalReference: Option<String>,
        ShopperRefNo: Option<String>,
        Status: Option<String>,
        ApproveStatus: Option<String>,
        VendorApproveStatus: Option<String>,
        MerchantCode: Option<String>,
        Language: Option<String>,
        Country: Option<String>,
        CustomerIP: Option<String>,
        OrderDate: Option<String>,
        FinishDate: Option<String>,
        Source: Option<String>,
        Affiliate: Option<Affiliate>,
        HasShipping: Option<bool>,
        CustomerReference: Option<Reference>,
        ExternalCustomerReference: Option<String>,
        BillingDetails: Option<OrderAddress>,
        DeliveryDetails: Option<OrderAddress>,
        PaymentDetails: Option<PaymentDetails>,
        Origin: Option<String>,
        OrderFlow: Option<String>,
        TestOrder: Option<bool>,
        Errors: Option<OrderErrors>,
        Items: Vec<OrderItem>,
        #[serde(deserialize_with = "coupons_or_promotions")]
        Promotions: Vec<OrderPromotion>,
        DeliveryInformation: Option<DeliveryInformation>,
        Currency: Option<String>,
        NetPrice: Option<Money>,
        GrossPrice: Option<Money>,
        NetDiscountedPrice: Option<Money>,
        GrossDiscountedPrice: Option<Money>,
        Discount: Option<Money>,
        VAT: Option<Money>,
        AffiliateCommission: Option<Money>,
        /// The currency the merchant is paid in: the order's own (the gateway converts nothing).
        PayoutCurrency: Option<String>,
        /// The refunds of the order, in the order they were requested; `null` when there are none.
        Refunds: Option<Vec<OrderRefund>>,
    }
}

wire_object! {
    /// A refund of an order: how much of what, why, and whether it has settled.
    pub struct OrderRefund as "OrderRefund" {
        Amount: Option<Money>,
        Currency: Option<String>,
        Items: Vec<RefundItem>,
        Reason: Option<String>,
        Comment: Option<String>,
        RequestDate: Option<String>,
        Status: Option<String>,
    }
}

wire_object! {
    /// A line of a refund: the order line, how many units, how much.
    pub struct RefundItem as "RefundItem" {
        LineItemReference: Option<String>,
        Quantity: Option<i64>,
        Amount: Option<Money>,
    }
}

wire_object! {
    /// A promotion that discounted the order. Sent to `placeOrder`, `Promotions` may hold the
    /// coupon codes themselves (`["SUMMER10"]`, as the vendor's samples send them) or these
    /// objects, whose `Coupon` is read.
    pub struct OrderPromotion as "OrderPromotion" {
        Code: Option<String>,
        Name: Option<String>,
        Coupon: Option<String>,
        DiscountLabel: Option<String>,
    }
}

/// `Promotions` as sent: coupon codes, promotion objects, or null.
fn coupons_or_promotions<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<OrderPromotion>, D::Error> {
    use serde::Deserialize;
    use serde::de::{self, MapAccess, Visitor};
    struct Entry(OrderPromotion);
    impl<'de> Deserialize<'de> for Entry {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct EntryVisitor;
            impl<'de> Visitor<'de> for EntryVisitor {
                type Value = Entry;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a coupon code or a promotion")
                }
                fn visit_str<E: de::Error>(self, coupon: &str) -> Result<Entry, E> {
                    Ok(Entry(OrderPromotion { Coupon: Some(coupon.to_owned()), ..OrderPromotion::default() }))
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Entry, A::Error> {
                    OrderPromotion::deserialize(de::value::MapAccessDeserializer::new(map)).map(Entry)
                }
            }
            deserializer.deserialize_any(EntryVisitor)
        }
    }
    let entries = Option::<Vec<Entry>>::deserialize(deserializer)?;
    Ok(entries.unwrap_or_default().into_iter().map(|entry| entry.0).collect())
}

wire_object! {
    /// Sent to `placeOrder`: the shipping method (`ShippingMethod.Code`) for the tangible items.
    pub struct DeliveryInformation as "DeliveryInformation" {
        ShippingMethod: Option<OrderShippingMethod>,
    }
}

wire_object! {
    pub struct OrderShippingMethod as "OrderShippingMethod" {
        Code: Option<String>,
        Name: Option<String>,
        TrackingUrl: Option<String>,
        TrackingNumber: Option<String>,
        Comment: Option<String>,
    }
}

wire_object! {
    pub struct Affiliate as "Affiliate" {
        AffiliateCode: Option<String>,
        AffiliateSource: Option<String>,
    }
}

wire_object! {
    /// Billing or delivery details. With `PREVIOUS_ORDER`, billing details of only an `Email`
    /// are copied from the earlier order.
    pub struct OrderAddress as "OrderAddress" {
        FirstName: Option<String>,
        LastName: Option<String>,
        Company: Option<String>,
        FiscalCode: Option<String>,
        Email: Option<String>,
        Phone: Option<String>,
        Address1: Option<String>,
        Address2: Option<String>,
        City: Option<String>,
        State: Option<String>,
        Zip: Option<String>,
        CountryCode: Option<String>,
    }
}

wire_object! {
    /// `Type`: TEST or CC (with a card in `PaymentMethod`), or PREVIOUS_ORDER (with the earlier
    /// order's `PaymentMethod.RefNo`).
    pub struct PaymentDetails as "PaymentDetails" {
        Type: Option<String>,
        Currency: Option<String>,
        CustomerIP: Option<String>,
        PaymentMethod: Option<PaymentMethod>,
    }
}

wire_object! {
    /// Sent: `CardNumber`, `CardType`, `ExpirationMonth`, `ExpirationYear`, `CCID`, `HolderName`,
    /// `RecurringEnabled`, or `RefNo` for PREVIOUS_ORDER. Answered: `FirstDigits` and
    /// `LastDigits` only — a full card number is never stored.
    pub struct PaymentMethod as "PaymentMethod" {
        CardNumber: Option<Text>,
        CardType: Option<String>,
        ExpirationMonth: Option<Text>,
        ExpirationYear: Option<Text>,
        CCID: Option<Text>,
        HolderName: Option<String>,
        FirstDigits: Option<String>,
        LastDigits: Option<String>,
        RecurringEnabled: Option<bool>,
        RefNo: Option<Text>,
        Vendor3DSReturnURL: Option<String>,
        Vendor3DSCancelURL: Option<String>,
    }
}

wire_object! {
    /// A payment failure, inside a `PENDING` order answered normally (as the vendor does).
    pub struct OrderErrors as "OrderErrors" {
        CARD_PAYMENT_ERROR: Option<String>,
        PAYMENT_ERROR: Option<String>,
    }
}

wire_object! {
    /// An item: a catalog product's — `Code`, `Quantity` (1–99999), `PriceOptions` (option
    /// codes), `Trial` — or a dynamic product's: `IsDynamic: true`, `Name`, `Description`,
    /// `Tangible`, `Price {Amount, Type: CUSTOM}` (net, per unit), `PriceOptions` as option
    /// groups `{Name, Options: [{Name, Value, OptionText, Surcharge}]}` and, for a subscription,
    /// `RecurringOptions`. Answered with its product, price and `LineItemReference`.
    pub struct OrderItem as "OrderItem" {
        Code: Option<String>,
        Quantity: Option<i64>,
        PriceOptions: Vec<OrderPriceOption>,
        Trial: Option<bool>,
        IsDynamic: Option<bool>,
        Name: Option<String>,
        Description: Option<String>,
        Tangible: Option<bool>,
        RecurringOptions: Option<RecurringOptions>,
        ProductDetails: Option<ProductDetails>,
        Price: Option<ItemPriceDetails>,
        LineItemReference: Option<String>,
        PurchaseType: Option<String>,
    }
}

wire_object! {
    /// The product an item bought, and the subscriptions it created.
    pub struct ProductDetails as "ProductDetails" {
        Name: Option<String>,
        ShortDescription: Option<String>,
        Tangible: Option<bool>,
        IsDynamic: Option<bool>,
        Subscriptions: Vec<OrderSubscription>,
    }
}

wire_object! {
    /// Dates as `YYYY-MM-DD HH:MM:SS`.
    pub struct OrderSubscription as "OrderSubscription" {
        SubscriptionReference: Option<String>,
        PurchaseDate: Option<String>,
        SubscriptionStartDate: Option<String>,
        ExpirationDate: Option<String>,
        Lifetime: Option<bool>,
        Trial: Option<bool>,
        Enabled: Option<bool>,
        RecurringEnabled: Option<bool>,
    }
}

wire_object! {
    /// Unit and item prices in the order's currency: net, VAT and gross. A dynamic product's
    /// item is sent with `Amount` (its net unit price) and `Type` (`CUSTOM`), answered with them.
    pub struct ItemPriceDetails as "ItemPrice" {
        Amount: Option<Money>,
        Type: Option<String>,
        UnitNetPrice: Option<Money>,
        UnitGrossPrice: Option<Money>,
        UnitVAT: Option<Money>,
        UnitDiscount: Option<Money>,
        UnitNetDiscountedPrice: Option<Money>,
        UnitGrossDiscountedPrice: Option<Money>,
        VATPercent: Option<Money>,
        Currency: Option<String>,
        NetPrice: Option<Money>,
        GrossPrice: Option<Money>,
        NetDiscountedPrice: Option<Money>,
        GrossDiscountedPrice: Option<Money>,
        Discount: Option<Money>,
        VAT: Option<Money>,
    }
}

crate::paged!(Order as "OrderSearchResult", "One page of orders, newest first.");

fn address_input(address: OrderAddress) -> AddressInput {
    AddressInput {
        first_name: address.FirstName,
        last_name: address.LastName,
        company: address.Company,
        fiscal_code: address.FiscalCode,
        email: address.Email,
        phone: address.Phone,
        address1: address.Address1,
        address2: address.Address2,
        city: address.City,
        state: address.State,
        zip: address.Zip,
        country_code: address.CountryCode,
    }
}

impl From<Order> for OrderInput {
    fn from(order: Order) -> Self {
        let payment = order.PaymentDetails.map(|details| {
            let method = details.PaymentMethod.unwrap_or_default();
            PaymentInput {
                payment_type: details.Type,
                currency: details.Currency,
                customer_ip: details.CustomerIP,
                card_number: method.CardNumber.map(|text| text.0),
                card_type: method.CardType,
                expiration_month: method.ExpirationMonth.map(|text| text.0),
                expiration_year: method.ExpirationYear.map(|text| text.0),
                ccid: method.CCID.map(|text| text.0),
                holder_name: method.HolderName,
                recurring_enabled: method.RecurringEnabled,
                ref_no: method.RefNo.map(|text| text.0),
            }
        });
        OrderInput {
            external_reference: order.ExternalReference,
            currency: order.Currency,
            country: order.Country,
            language: order.Language,
            customer_ip: order.CustomerIP,
            source: order.Source,
            affiliate_code: order.Affiliate.as_ref().and_then(|affiliate| affiliate.AffiliateCode.clone()),
            affiliate_source: order.Affiliate.and_then(|affiliate| affiliate.AffiliateSource),
            customer_reference: order.CustomerReference.map(|reference| reference.0),
            external_customer_reference: order.ExternalCustomerReference,
            coupons: order.Promotions.into_iter().filter_map(|promotion| promotion.Coupon).collect(),
            shipping_method: order
                .DeliveryInformation
                .and_then(|info| info.ShippingMethod)
                .and_then(|m| m.Code),
            items: order
                .Items
                .into_iter()
                // A shipping line sent back with an order read is not a product.
                .filter(|item| {
                    !item.PurchaseType.as_deref().is_some_and(|kind| kind.eq_ignore_ascii_case("SHIPPING"))
                })
                .map(|item| {
                    let (price_options, option_groups) = dynamic_items::split(item.PriceOptions);
                    let price = item.Price.unwrap_or_default();
                    ItemInput {
                        code: item.Code,
                        quantity: item.Quantity,
                        price_options,
                        trial: item.Trial,
                        is_dynamic: item.IsDynamic,
                        name: item.Name,
                        description: item.Description,
                        tangible: item.Tangible,
                        price_amount: price.Amount.map(|money| money.0),
                        price_type: price.Type,
                        option_groups,
                        recurring: item.RecurringOptions.map(RecurringInput::from),
                    }
                })
                .collect(),
            billing: order.BillingDetails.map(address_input),
            delivery: order.DeliveryDetails.map(address_input),
            payment,
        }
    }
}

fn address(address: Address) -> OrderAddress {
    OrderAddress {
        FirstName: Some(address.first_name),
        LastName: Some(address.last_name),
        Company: address.company,
        FiscalCode: address.fiscal_code,
        Email: Some(address.email),
        Phone: address.phone,
        Address1: Some(address.address1),
        Address2: address.address2,
        City: Some(address.city),
        State: address.state,
        Zip: Some(address.zip),
        CountryCode: Some(address.country_code),
    }
}

fn price(price: &ItemPrice, dynamic: Option<&DynamicItem>) -> ItemPriceDetails {
    ItemPriceDetails {
        Amount: dynamic.map(|item| item.amount.into()),
        Type: dynamic.map(|_| "CUSTOM".to_owned()),
        UnitNetPrice: Some(price.unit_net.into()),
        UnitGrossPrice: Some(price.unit_gross.into()),
        UnitVAT: Some(price.unit_vat.into()),
        UnitDiscount: Some(price.unit_discount.into()),
        UnitNetDiscountedPrice: Some(price.unit_net_discounted().into()),
        UnitGrossDiscountedPrice: Some(price.unit_gross_discounted().into()),
        VATPercent: Some(price.vat_percent.into()),
        Currency: Some(price.currency.to_ascii_lowercase()),
        NetPrice: Some(price.net.into()),
        GrossPrice: Some(price.gross.into()),
        NetDiscountedPrice: Some(price.net_discounted().into()),
        GrossDiscountedPrice: Some(price.gross_discounted().into()),
        Discount: Some(price.discount.into()),
        VAT: Some(price.vat.into()),
    }
}

impl Order {
    /// The order as it shows at `now` (an authorized order completes at its time).
    pub fn at(order: CoreOrder, merchant_code: &str, now: DateTime<Utc>) -> Self {
        let items = order
            .items
            .iter()
            .map(|item| OrderItem {
                Code: Some(item.product_code.clone()).filter(|code| !code.is_empty()),
                Quantity: Some(i64::from(item.quantity)),
                PriceOptions: match &item.dynamic {
                    Some(dynamic) => dynamic_items::price_options(dynamic),
                    None => item.price_options.iter().cloned().map(OrderPriceOption::Code).collect(),
                },
                Trial: Some(item.trial),
                IsDynamic: Some(item.dynamic.is_some()),
                Name: item.dynamic.as_ref().map(|_| item.product_name.clone()),
                Description: item.dynamic.as_ref().and(item.short_description.clone()),
                Tangible: item.dynamic.as_ref().map(|_| item.tangible),
                RecurringOptions: item.dynamic.as_ref().and_then(dynamic_items::recurring_options),
                ProductDetails: Some(ProductDetails {
                    Name: Some(item.product_name.clone()),
                    ShortDescription: item.short_description.clone(),
                    Tangible: Some(item.tangible),
                    IsDynamic: Some(item.dynamic.is_some()),
                    Subscriptions: order
                        .item_subscriptions(item)
                        .map(|subscription| OrderSubscription {
                            SubscriptionReference: Some(subscription.reference.clone()),
                            PurchaseDate: Some(date(subscription.purchase_date)),
                            SubscriptionStartDate: Some(date(subscription.start_date)),
                            ExpirationDate: subscription.expiration_date.map(date),
                            Lifetime: Some(subscription.expiration_date.is_none()),
                            Trial: Some(subscription.trial),
                            Enabled: Some(subscription.enabled),
                            RecurringEnabled: Some(subscription.recurring_enabled),
                        })
                        .collect(),
                }),
                Price: Some(price(&item.price, item.dynamic.as_ref())),
                LineItemReference: Some(item.line_item_reference.clone()),
                PurchaseType: Some(item.purchase_type.as_str().to_owned()),
            })
            .collect();
        let payment = &order.payment;
        let errors = order.error.as_ref().map(|(code, message)| OrderErrors {
            CARD_PAYMENT_ERROR: (code == "CARD_PAYMENT_ERROR").then(|| message.clone()),
            PAYMENT_ERROR: (code != "CARD_PAYMENT_ERROR").then(|| message.clone()),
        });
        let totals = &order.totals;
        Order {
            RefNo: Some(Text(order.ref_no.clone())),
            OrderNo: Some(0),
            ExternalReference: order.external_reference.clone(),
            ShopperRefNo: None,
            Status: Some(order.status(now).as_str().to_owned()),
            ApproveStatus: Some(order.approve_status(now).as_str().to_owned()),
            VendorApproveStatus: Some("OK".into()),
            MerchantCode: Some(merchant_code.to_owned()),
            Language: Some(order.language.clone()),
            Country: Some(order.country.clone()),
            CustomerIP: payment.customer_ip.clone(),
            OrderDate: Some(date(order.placed_at)),
            FinishDate: order.finish_date(now).map(date),
            Source: order.source.clone(),
            Affiliate: (order.affiliate_code.is_some() || order.affiliate_source.is_some()).then(|| {
                Affiliate {
                    AffiliateCode: order.affiliate_code.clone(),
                    AffiliateSource: order.affiliate_source.clone(),
                }
            }),
            HasShipping: Some(order.has_shipping()),
            CustomerReference: Some(Reference(order.customer_reference)),
            ExternalCustomerReference: order.external_customer_reference.clone(),
            BillingDetails: Some(address(order.billing.clone())),
            DeliveryDetails: order.delivery.clone().map(address),
            PaymentDetails: Some(PaymentDetails {
                Type: Some(payment.payment_type.as_str().to_owned()),
                Currency: Some(payment.currency.to_ascii_lowercase()),
                CustomerIP: payment.customer_ip.clone(),
                PaymentMethod: Some(PaymentMethod {
                    CardType: payment.card.as_ref().map(|card| card.card_type.clone()),
                    ExpirationMonth: payment.card.as_ref().map(|card| Text(card.expiration_month.clone())),
                    ExpirationYear: payment.card.as_ref().map(|card| Text(card.expiration_year.clone())),
                    HolderName: payment.card.as_ref().map(|card| card.holder_name.clone()),
                    FirstDigits: payment.card.as_ref().map(|card| card.first_digits.clone()),
                    LastDigits: payment.card.as_ref().map(|card| card.last_digits.clone()),
                    RecurringEnabled: Some(payment.recurring_enabled),
                    RefNo: payment.previous_ref_no.clone().map(Text),
                    ..PaymentMethod::default()
                }),
            }),
            Origin: Some("API".into()),
            OrderFlow: Some("REGULAR".into()),
            TestOrder: Some(order.test),
            Errors: errors,
            Items: items,
            Promotions: order
                .promotions
                .iter()
                .map(|promotion| OrderPromotion {
                    Code: Some(promotion.code.clone()),
                    Name: Some(promotion.name.clone()),
                    Coupon: promotion.coupon.clone(),
                    DiscountLabel: Some(promotion.discount_label.clone()),
                })
                .collect(),
            DeliveryInformation: order.shipping_method.as_ref().map(|method| DeliveryInformation {
                ShippingMethod: Some(OrderShippingMethod {
                    Code: Some(method.code.clone()),
                    Name: Some(method.name.clone()),
                    TrackingUrl: method.tracking_url.clone(),
                    TrackingNumber: None,
                    Comment: None,
                }),
            }),
            Currency: Some(order.currency.to_ascii_lowercase()),
            NetPrice: Some(totals.net.into()),
            GrossPrice: Some(totals.gross.into()),
            NetDiscountedPrice: Some(totals.net_discounted().into()),
            GrossDiscountedPrice: Some(totals.gross_discounted().into()),
            Discount: Some(totals.discount.into()),
            VAT: Some(totals.vat.into()),
            AffiliateCommission: Some(Money::default()),
            PayoutCurrency: Some(order.currency.to_ascii_lowercase()),
            Refunds: refunds(&order, now),
        }
    }
}

wire_params! {
    pub struct PlaceOrderParams as "placeOrder" {
        Order: Option<Order> = body,
    }
}

/// `placeOrder`.
#[derive(Debug)]
pub struct PlaceOrder;

impl Operation for PlaceOrder {
    const NAME: &'static str = "placeOrder";
    const DOC: &'static str = "Places an order and returns it. Prices come from the catalog (the pricing \
         configuration for the billing country, the currency, quantity and options) with the VAT of the billing \
         country (a dynamic product, IsDynamic, by its own Price.Amount and option surcharges). TEST with a test \
         card 4111111111111111 (or 5555555555554444, 378282246310005, 6011111111111117) authorizes — \
         AUTHRECEIVED at once, COMPLETE after --order-completion-secs; 4000000000000002 (or 4000000000009995, \
         5105105105105100), CC with any test card (CC charges a real card) and an expired card are declined: a \
         PENDING order with Errors.CARD_PAYMENT_ERROR, answered normally as the vendor does. PREVIOUS_ORDER reuses the card of an \
         earlier authorized or complete order whose billing e-mail BillingDetails.Email repeats. A paid order \
         creates a subscription per item of a product that generates one and links the customer it names (or \
         creates one from the billing details); a card payment stores the card with the customer. Promotions \
         (coupon codes, or objects with a Coupon) apply their promotions to the items they cover, the largest \
         discount per item, taken off the net price with VAT charged on the rest; instant-discount promotions \
         apply without a code. DeliveryInformation.ShippingMethod.Code adds a SHIPPING line priced as \
         getShippingPrice prices the tangible items. On REST: 201 with Location.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
        ErrorCode::OrderProductsEmpty,
        ErrorCode::OrderProductCodeInvalid,
        ErrorCode::OrderItemsQuantityInvalid,
        ErrorCode::NotFoundCustomer,
        ErrorCode::DuplicateOrderExternalReference,
        ErrorCode::DuplicateExternalReference,
        ErrorCode::PreviousOrderNotFound,
        ErrorCode::PreviousOrderNotPaid,
        ErrorCode::PreviousOrderPaymentMethod,
        ErrorCode::PreviousOrderEmailMismatch,
        ErrorCode::InvalidCoupon,
        ErrorCode::InvalidShippingMethod,
    ];
    const REST: &'static [Route] = &[Route::new(Method::Post, "/orders").body(&Order::OBJECT).created()];
    type Params = PlaceOrderParams;
    type Output = Order;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<Order> {
        let order = params.Order.ok_or(Error::MissingField("Order"))?;
        let placed = gateway.place_order(merchant, order.into()).await?;
        Ok(Order::at(placed, merchant.code(), gateway.now()))
    }

    fn summary(order: &Order) -> String {
        let ref_no = order.RefNo.as_ref().map(|text| text.0.as_str()).unwrap_or_default();
        format!("{ref_no} {}", order.Status.as_deref().unwrap_or_default())
    }

    fn location(order: &Order) -> Option<String> {
        order.RefNo.as_ref().map(|ref_no| format!("/orders/{}/", ref_no.0))
    }
}

/// The order's refunds as the Order shows them; `null` when there are none.
fn refunds(order: &CoreOrder, now: DateTime<Utc>) -> Option<Vec<OrderRefund>> {
    let refunds = &order.adjustments.refunds;
    (!refunds.is_empty()).then(|| {
        refunds
            .iter()
            .map(|refund| OrderRefund {
                Amount: Some(refund.amount.into()),
                Currency: Some(order.currency.to_ascii_lowercase()),
                Items: refund
                    .items
                    .iter()
                    .map(|line| RefundItem {
                        LineItemReference: Some(line.line_item_reference.clone()),
                        Quantity: Some(i64::from(line.quantity)),
                        Amount: Some(line.amount.into()),
                    })
                    .collect(),
                Reason: Some(refund.reason.clone()),
                Comment: Some(refund.comment.clone()),
                RequestDate: Some(date(refund.requested_at)),
                Status: Some(refund.status(now).to_owned()),
            })
            .collect()
    })
}

wire_object! {
    /// The body of REST's refund request (keys in any case; `Items` empty or absent for a total
    /// refund, or a single object).
    pub struct RefundRequest as "RefundRequest" {
        Amount: Option<Money>,
        Items: Vec<RefundItem>,
        Comment: Option<String>,
        Reason: Option<String>,
    }
}

wire_params! {
    pub struct IssueRefundParams as "issueRefund" {
        RefNo: Option<Text> = path("RefNo"),
        amount: Option<Money> = body_member("Amount"),
        items: Vec<RefundItem> = body_member("Items"),
        comment: Option<String> = body_member("Comment"),
        reason: Option<String> = body_member("Reason"),
    }
}

/// `issueRefund` (REST `POST /orders/{RefNo}/refund/`).
#[derive(Debug)]
pub struct IssueRefund;

impl Operation for IssueRefund {
    const NAME: &'static str = "issueRefund";
    const DOC: &'static str = "Requests a refund of a COMPLETE order and returns true: a total refund (no items, the \
         amount that remains) or a partial one (by line and quantity, or by amount), with a comment and a reason. \
         It settles after the merchant's delay (at once by default): a total refund makes the order REFUND and \
         disables the subscriptions it created; the Order's Refunds lists every refund; a REFUND IPN goes out. \
         Refused with the vendor's messages: an unpaid or not yet complete order, an amount over what remains, a \
         second request while one is pending or after a total refund, an order older than the merchant's limit \
         (a year by default). REST body keys are matched in any case; Items may be a single object.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::OrderNotFound,
        ErrorCode::InvalidRefundAmount,
        ErrorCode::InvalidRefundItems,
        ErrorCode::InvalidRefundReason,
        ErrorCode::RefundNotAllowed,
        ErrorCode::InvalidField,
    ];
    const REST: &'static [Route] =
        &[Route::new(Method::Post, "/orders/{RefNo}/refund").body(&RefundRequest::OBJECT)];
    type Params = IssueRefundParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let ref_no = Text::or_empty(params.RefNo);
        let input = tco_core::RefundInput {
            amount: params.amount.map(|amount| amount.0),
            items: params
                .items
                .into_iter()
                .map(|item| tco_core::RefundLineInput {
                    line_item_reference: item.LineItemReference,
                    quantity: item.Quantity,
                    amount: item.Amount.map(|amount| amount.0),
                })
                .collect(),
            comment: params.comment,
            reason: params.reason,
        };
        gateway.issue_refund(merchant, &ref_no, input).await.map(|()| true)
    }

    fn summary(done: &bool) -> String {
        done.to_string()
    }
}

wire_params! {
    pub struct GetOrderParams as "getOrder" {
        orderReference: Option<Text> = path("RefNo"),
    }
}

/// `getOrder`.
#[derive(Debug)]
pub struct GetOrder;

impl Operation for GetOrder {
    const NAME: &'static str = "getOrder";
    const DOC: &'static str = "The order with this RefNo, as it is now.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::OrderNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/orders/{RefNo}")];
    type Params = GetOrderParams;
    type Output = Order;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<Order> {
        let ref_no = Text::or_empty(params.orderReference);
        Ok(Order::at(gateway.order(merchant, &ref_no).await?, merchant.code(), gateway.now()))
    }

    fn summary(order: &Order) -> String {
        order.Status.clone().unwrap_or_default()
    }
}

wire_params! {
    pub struct IsValidOrderReferenceParams as "isValidOrderReference" {
        orderReference: Option<Text> = path("RefNo"),
    }
}

/// `isValidOrderReference`.
#[derive(Debug)]
pub struct IsValidOrderReference;

impl Operation for IsValidOrderReference {
    const NAME: &'static str = "isValidOrderReference";
    const DOC: &'static str = "Whether a new order may pay with this order's payment (PREVIOUS_ORDER): an order of \
         the merchant, authorized or complete, not fraudulent, paid by card. Anything else is false, an unknown \
         reference too.";
    const ERRORS: &'static [ErrorCode] = &[];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/paymentmethods/PREVIOUS_ORDER/refno/{RefNo}")];
    type Params = IsValidOrderReferenceParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let ref_no = Text::or_empty(params.orderReference);
        gateway.is_valid_order_reference(merchant, &ref_no).await
    }

    fn summary(valid: &bool) -> String {
        valid.to_string()
    }
}

wire_object! {
    /// The order search's filters. Without `StartDate` or `Newer`, the last 7 days' orders (the
    /// vendor's default, by the gateway's clock); `StartDate` wins over `Newer`.
    pub struct OrderSearchOptions as "OrderSearchOptions" {
        RefNo: Option<Text>,
        ApproveStatus: Option<String>,
        Newer: Option<String>,
        Status: Option<String>,
        StartDate: Option<String>,
        EndDate: Option<String>,
        PartnerOrders: Option<bool>,
        ExternalRefNo: Option<String>,
        IncludeTestOrders: Option<String>,
        Pagination: Option<PaginationOptions>,
    }
}

wire_params! {
    pub struct SearchOrdersParams as "searchOrders" {
        orderSearchOptions: Option<OrderSearchOptions> = query_object,
    }
}

/// `searchOrders`.
#[derive(Debug)]
pub struct SearchOrders;

impl Operation for SearchOrders {
    const NAME: &'static str = "searchOrders";
    const DOC: &'static str = "One page of the merchant's orders, newest first; without StartDate or Newer, those of \
         the last 7 days.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::InvalidField];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/orders").parameters(&[
        ("RefNo", "the order's reference"),
        ("ApproveStatus", "WAITING, OK, FRAUD or INVALIDDATA"),
        ("Newer", "placed on or after (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, UTC) when StartDate is not given; default: 7 days ago"),
        ("Status", "PENDING, AUTHRECEIVED, COMPLETE, CANCELED or REFUND"),
        ("StartDate", "placed on or after: YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (UTC)"),
        ("EndDate", "placed on or before, same forms"),
        ("PartnerOrders", "true: only orders placed through a Channel Manager partner (the gateway places none)"),
        ("ExternalRefNo", "the order's ExternalReference"),
        ("IncludeTestOrders", "YES (default), NO or ONLY"),
        ("Page", "from 1"),
        ("Limit", "from 1 to 200, default 10"),
    ])];
    type Params = SearchOrdersParams;
    type Output = Page<Order>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Page<Order>> {
        let options = params.orderSearchOptions.unwrap_or_default();
        let pagination = options.Pagination.unwrap_or_default();
        let input = OrderSearchInput {
            ref_no: options.RefNo.map(|text| text.0),
            status: options.Status,
            approve_status: options.ApproveStatus,
            newer: options.Newer,
            start_date: options.StartDate,
            end_date: options.EndDate,
            partner_orders: options.PartnerOrders,
            external_ref_no: options.ExternalRefNo,
            include_test_orders: options.IncludeTestOrders,
            page: pagination.Page,
            limit: pagination.Limit,
        };
        let page = gateway.search_orders(merchant, input).await?;
        let now = gateway.now();
        Ok(page.map(|order| Order::at(order, merchant.code(), now)).into())
    }

    fn summary(result: &Page<Order>) -> String {
        result.summary()
    }
}
