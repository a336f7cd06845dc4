//! Orders and 1-click purchase — `placeOrder`, `getOrder`, `isValidOrderReference` and
//! `searchOrders` — on every transport, written once over [`Api::send`].

use async_trait::async_trait;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::Api;
use crate::call::{Call, RestCall, argument};
use crate::error::{ClientError, Result};
use crate::model::{PageRequest, Pagination};

model! {
    /// An order: what `placeOrder` takes, and what it and `getOrder` answer.
    pub struct Order {
        ref_no: Option<String> => "RefNo",
        external_reference: Option<String> => "ExternalReference",
        status: Option<String> => "Status",
        approve_status: Option<String> => "ApproveStatus",
        merchant_code: Option<String> => "MerchantCode",
        language: Option<String> => "Language",
        country: Option<String> => "Country",
        customer_ip: Option<String> => "CustomerIP",
        order_date: Option<String> => "OrderDate",
        finish_date: Option<String> => "FinishDate",
        source: Option<String> => "Source",
        customer_reference: Option<i64> => "CustomerReference",
        external_customer_reference: Option<String> => "ExternalCustomerReference",
        billing_details: Option<Address> => "BillingDetails",
        delivery_details: Option<Address> => "DeliveryDetails",
        payment_details: Option<PaymentDetails> => "PaymentDetails",
        test_order: Option<bool> => "TestOrder",
        errors: Option<OrderErrors> => "Errors",
        has_shipping: Option<bool> => "HasShipping",
        items: Vec<OrderItem> => "Items",
        promotions: Vec<OrderPromotion> => "Promotions",
        delivery_information: Option<DeliveryInformation> => "DeliveryInformation",
        currency: Option<String> => "Currency",
        net_price: Option<Decimal> => "NetPrice",
        gross_price: Option<Decimal> => "GrossPrice",
        net_discounted_price: Option<Decimal> => "NetDiscountedPrice",
        gross_discounted_price: Option<Decimal> => "GrossDiscountedPrice",
        vat: Option<Decimal> => "VAT",
        discount: Option<Decimal> => "Discount",
        refunds: Option<Vec<OrderRefund>> => "Refunds",
    }
}

model! {
    /// A refund as the Order lists it.
    pub struct OrderRefund {
        amount: Option<Decimal> => "Amount",
        currency: Option<String> => "Currency",
        items: Vec<RefundItem> => "Items",
        reason: Option<String> => "Reason",
        comment: Option<String> => "Comment",
        request_date: Option<String> => "RequestDate",
        status: Option<String> => "Status",
    }
}

model! {
    /// A line of a refund: sent to `issueRefund`, listed in an order's refunds.
    pub struct RefundItem {
        line_item_reference: Option<String> => "LineItemReference",
        quantity: Option<i64> => "Quantity",
        amount: Option<Decimal> => "Amount",
    }
}

model! {
    /// Sent: a coupon code in `coupon`. Answered: the promotion that discounted the order.
    pub struct OrderPromotion {
        code: Option<String> => "Code",
        name: Option<String> => "Name",
        coupon: Option<String> => "Coupon",
        discount_label: Option<String> => "DiscountLabel",
    }
}

model! {
    pub struct DeliveryInformation {
        shipping_method: Option<OrderShippingMethod> => "ShippingMethod",
    }
}

model! {
    pub struct OrderShippingMethod {
        code: Option<String> => "Code",
        name: Option<String> => "Name",
        tracking_url: Option<String> => "TrackingUrl",
    }
}

model! {
    pub struct Address {
        first_name: Option<String> => "FirstName",
        last_name: Option<String> => "LastName",
        company: Option<String> => "Company",
        email: Option<String> => "Email",
        phone: Option<String> => "Phone",
        address1: Option<String> => "Address1",
        address2: Option<String> => "Address2",
        city: Option<String> => "City",
        state: Option<String> => "State",
        zip: Option<String> => "Zip",
        country_code: Option<String> => "CountryCode",
    }
}

model! {
    /// `kind`: TEST, CC or PREVIOUS_ORDER.
    pub struct PaymentDetails {
        kind: Option<String> => "Type",
        currency: Option<String> => "Currency",
        customer_ip: Option<String> => "CustomerIP",
        payment_method: Option<PaymentMethod> => "PaymentMethod",
    }
}

model! {
    pub struct PaymentMethod {
        card_number: Option<String> => "CardNumber",
        card_type: Option<String> => "CardType",
        expiration_month: Option<String> => "ExpirationMonth",
        expiration_year: Option<String> => "ExpirationYear",
        ccid: Option<String> => "CCID",
        holder_name: Option<String> => "HolderName",
        first_digits: Option<String> => "FirstDigits",
        last_digits: Option<String> => "LastDigits",
        recurring_enabled: Option<bool> => "RecurringEnabled",
        ref_no: Option<String> => "RefNo",
    }
}

model! {
    /// A payment failure of a `PENDING` order.
    pub struct OrderErrors {
        card_payment_error: Option<String> => "CARD_PAYMENT_ERROR",
        payment_error: Option<String> => "PAYMENT_ERROR",
    }
}

model! {
    /// A catalog product's item (`code`), or a dynamic product's (`is_dynamic`, `name`, `price`
    /// with `amount`, option groups, `recurring_options`).
    pub struct OrderItem {
        code: Option<String> => "Code",
        quantity: Option<i64> => "Quantity",
        price_options: Vec<ItemPriceOption> => "PriceOptions",
        trial: Option<bool> => "Trial",
        is_dynamic: Option<bool> => "IsDynamic",
        name: Option<String> => "Name",
        description: Option<String> => "Description",
        tangible: Option<bool> => "Tangible",
        recurring_options: Option<RecurringOptions> => "RecurringOptions",
        product_details: Option<ProductDetails> => "ProductDetails",
        price: Option<ItemPrice> => "Price",
        line_item_reference: Option<String> => "LineItemReference",
        purchase_type: Option<String> => "PurchaseType",
    }
}

/// One of an item's `PriceOptions`: a catalog option code, or a dynamic product's option group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ItemPriceOption {
    Code(String),
    Group(DynamicPriceOption),
}

impl<'de> Deserialize<'de> for ItemPriceOption {
    // Not `untagged`: the group is read as itself (so SOAP's repeated `Options` make a list).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct OptionVisitor;
        impl<'de> serde::de::Visitor<'de> for OptionVisitor {
            type Value = ItemPriceOption;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an option code or an option group")
            }
            fn visit_str<E: serde::de::Error>(self, code: &str) -> std::result::Result<ItemPriceOption, E> {
                Ok(ItemPriceOption::Code(code.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<ItemPriceOption, A::Error> {
                let group = serde::de::value::MapAccessDeserializer::new(map);
                DynamicPriceOption::deserialize(group).map(ItemPriceOption::Group)
            }
        }
        deserializer.deserialize_any(OptionVisitor)
    }
}

impl From<&str> for ItemPriceOption {
    fn from(code: &str) -> Self {
        ItemPriceOption::Code(code.to_owned())
    }
}

impl PartialEq<&str> for ItemPriceOption {
    fn eq(&self, code: &&str) -> bool {
        matches!(self, ItemPriceOption::Code(own) if own == code)
    }
}

model! {
    pub struct DynamicPriceOption {
        name: Option<String> => "Name",
        options: Vec<DynamicOption> => "Options",
    }
}

model! {
    pub struct DynamicOption {
        name: Option<String> => "Name",
        value: Option<String> => "Value",
        option_text: Option<String> => "OptionText",
        surcharge: Option<Decimal> => "Surcharge",
    }
}

model! {
    /// `cycle_unit`: DAY, MONTH or YEAR.
    pub struct RecurringOptions {
        cycle_length: Option<i64> => "CycleLength",
        cycle_unit: Option<String> => "CycleUnit",
        cycle_amount: Option<Decimal> => "CycleAmount",
        contract_length: Option<i64> => "ContractLength",
        contract_unit: Option<String> => "ContractUnit",
    }
}

model! {
    pub struct ProductDetails {
        name: Option<String> => "Name",
        tangible: Option<bool> => "Tangible",
        is_dynamic: Option<bool> => "IsDynamic",
        subscriptions: Vec<OrderSubscription> => "Subscriptions",
    }
}

model! {
    pub struct OrderSubscription {
        subscription_reference: Option<String> => "SubscriptionReference",
        purchase_date: Option<String> => "PurchaseDate",
        expiration_date: Option<String> => "ExpirationDate",
        lifetime: Option<bool> => "Lifetime",
        trial: Option<bool> => "Trial",
        enabled: Option<bool> => "Enabled",
        recurring_enabled: Option<bool> => "RecurringEnabled",
    }
}

model! {
    /// `amount` and `kind` (`CUSTOM`): a dynamic product's net unit price, sent and answered.
    pub struct ItemPrice {
        amount: Option<Decimal> => "Amount",
        kind: Option<String> => "Type",
        unit_net_price: Option<Decimal> => "UnitNetPrice",
        unit_gross_price: Option<Decimal> => "UnitGrossPrice",
        unit_vat: Option<Decimal> => "UnitVAT",
        vat_percent: Option<Decimal> => "VATPercent",
        currency: Option<String> => "Currency",
        net_price: Option<Decimal> => "NetPrice",
        gross_price: Option<Decimal> => "GrossPrice",
        vat: Option<Decimal> => "VAT",
        unit_discount: Option<Decimal> => "UnitDiscount",
        discount: Option<Decimal> => "Discount",
        gross_discounted_price: Option<Decimal> => "GrossDiscountedPrice",
    }
}

model! {
    /// `searchOrders` filters. Without `start_date` or `newer`, the last 7 days' orders;
    /// `include_test_orders`: `YES` (the default), `NO` or `ONLY`.
    pub struct OrderSearchOptions {
        ref_no: Option<String> => "RefNo",
        approve_status: Option<String> => "ApproveStatus",
        newer: Option<String> => "Newer",
        status: Option<String> => "Status",
        start_date: Option<String> => "StartDate",
        end_date: Option<String> => "EndDate",
        partner_orders: Option<bool> => "PartnerOrders",
        external_ref_no: Option<String> => "ExternalRefNo",
        include_test_orders: Option<String> => "IncludeTestOrders",
        pagination: Option<PageRequest> => "Pagination",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct OrderSearchResult {
    pub items: Vec<Order>,
    pub pagination: Pagination,
}

/// The order operations, for every [`Api`].
#[async_trait]
pub trait OrdersApi: Api {
    /// REST answers 201 with `Location`; every transport answers the order.
    async fn place_order(&self, order: &Order) -> Result<Order> {
        let body = argument(order)?;
        let rest = RestCall::post(&["orders"], body.clone());
        self.send(&Call::new("placeOrder", vec![body], Some(rest))).await?.read()
    }

    /// `issueRefund`: `items` empty for a total refund or a partial one by amount.
    async fn issue_refund(
        &self,
        ref_no: &str,
        amount: &str,
        items: &[RefundItem],
        comment: &str,
        reason: &str,
    ) -> Result<bool> {
        let amount: serde_json::Value = serde_json::from_str(amount)
            .map_err(|error| ClientError::Protocol(format!("amount {amount}: {error}")))?;
        let items = argument(&items)?;
        let body = json!({"Amount": amount, "Items": items, "Comment": comment, "Reason": reason});
        let rest = RestCall::post(&["orders", ref_no, "refund"], body);
        let params = vec![json!(ref_no), amount, items, json!(comment), json!(reason)];
        self.send(&Call::new("issueRefund", params, Some(rest))).await?.read()
    }

    async fn order(&self, ref_no: &str) -> Result<Order> {
        let rest = RestCall::get(&["orders", ref_no]);
        self.send(&Call::new("getOrder", vec![json!(ref_no)], Some(rest))).await?.read()
    }

    async fn is_valid_order_reference(&self, ref_no: &str) -> Result<bool> {
        let rest = RestCall::get(&["paymentmethods", "PREVIOUS_ORDER", "refno", ref_no]);
        self.send(&Call::new("isValidOrderReference", vec![json!(ref_no)], Some(rest))).await?.read()
    }

    async fn search_orders(&self, options: &OrderSearchOptions) -> Result<OrderSearchResult> {
        let rest = RestCall::get(&["orders"])
            .query("RefNo", options.ref_no.clone())
            .query("ApproveStatus", options.approve_status.clone())
            .query("Newer", options.newer.clone())
            .query("Status", options.status.clone())
            .query("StartDate", options.start_date.clone())
            .query("EndDate", options.end_date.clone())
            .query("PartnerOrders", options.partner_orders.map(|flag| flag.to_string()))
            .query("ExternalRefNo", options.external_ref_no.clone())
            .query("IncludeTestOrders", options.include_test_orders.clone())
            .page(options.pagination.as_ref());
        self.send(&Call::new("searchOrders", vec![argument(options)?], Some(rest))).await?.read()
    }
}

#[async_trait]
impl<T: Api + ?Sized> OrdersApi for T {}

impl Order {
    /// The subscription references the order created, item by item.
    pub fn subscription_references(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|item| item.product_details.as_ref())
            .flat_map(|details| details.subscriptions.iter())
            .filter_map(|subscription| subscription.subscription_reference.clone())
            .collect()
    }

    /// The order's `RefNo`, or a protocol error for an answer without one.
    pub fn reference(&self) -> Result<&str> {
        self.ref_no.as_deref().ok_or_else(|| ClientError::Protocol("the order has no RefNo".into()))
    }
}
