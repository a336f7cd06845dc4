//! The orders' operations: `placeOrder` (and the `place` that renewals and the cart use too),
//! `getOrder`, `isValidOrderReference`, the order search, and loading orders from a data file.

use crate::catalog::{PriceOptionGroup, Product, ProductKey};
use crate::customers::{Card, CustomerInput, CustomerLookup, validate_customer};
use crate::error::{Error, Result, StoreError, Unique};
use crate::gateway::Gateway;
use crate::kernel::fields::lookup_code;
use crate::kernel::token;
use crate::merchant::MerchantContext;
use crate::orders::input::{AddressInput, OrderInput, OrderSearchInput, PaymentInput};
use crate::orders::model::{
    Address, AppliedPromotion, ApproveStatus, ItemPrice, Order, OrderItem, OrderPage, OrderStatus, Payment,
    PaymentType, PurchaseType, RefNo, ShippingChoice, Subscription, Unusable,
};
use crate::orders::pricing::Pricing;
use crate::orders::validation::Prefix;
use crate::orders::{MAX_QUANTITY, OrderFixture, add_cycle, discounts, validation};
use crate::orders::{NewOrder, OrderCustomer, PromotionUse, Renewal};
use crate::shipping::{Parcel, quote};
use rust_decimal::Decimal;

const MAX_ITEMS: usize = 100;

fn totals(currency: &str, items: &[OrderItem]) -> ItemPrice {
    let mut totals = ItemPrice { currency: currency.to_owned(), ..ItemPrice::default() };
    for item in items {
        totals.net += item.price.net;
        totals.vat += item.price.vat;
        totals.gross += item.price.gross;
        totals.discount += item.price.discount;
    }
    totals.vat_percent = items.first().map_or(Decimal::ZERO, |item| item.price.vat_percent);
    totals
}

fn customer_input(billing: &Address, order: &OrderInput) -> CustomerInput {
    CustomerInput {
        external_reference: order.external_customer_reference.clone(),
        first_name: Some(billing.first_name.clone()),
        last_name: Some(billing.last_name.clone()),
        company: billing.company.clone(),
        fiscal_code: billing.fiscal_code.clone().filter(|_| billing.company.is_some()),
        address1: Some(billing.address1.clone()),
        address2: billing.address2.clone(),
        city: Some(billing.city.clone()),
        state: billing.state.clone(),
        zip: Some(billing.zip.clone()),
        country_code: Some(billing.country_code.clone()),
        phone: billing.phone.clone(),
        email: Some(billing.email.clone()),
        language: order.language.clone(),
        ..CustomerInput::default()
    }
}

/// A line item's reference: 40 lower-case hex digits, as the vendor's are.
fn line_item_reference(gateway: &Gateway) -> Result<String> {
    Ok(hex::encode(token::random_bytes::<20>(gateway.random())?))
}

/// Ten upper-case letters and digits, as the vendor's subscription references are.
fn subscription_reference(gateway: &Gateway) -> Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let buffer = token::random_bytes::<10>(gateway.random())?;
    Ok(buffer.iter().map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()])).collect())
}

impl Gateway {
    /// `placeOrder`: the order as stored. A declined card gives a `PENDING` order with the
    /// vendor's in-body `CARD_PAYMENT_ERROR`, not an error.
    pub async fn place_order(&self, merchant: &MerchantContext, input: OrderInput) -> Result<Order> {
        self.place(merchant.code(), OrderFixture { input, ..OrderFixture::default() }).await
    }

    pub(crate) async fn place(&self, merchant_code: &str, fixture: OrderFixture) -> Result<Order> {
        // A promotion that another order used up meanwhile does not discount this one: priced
        // again, it no longer applies (each round drops at least one promotion).
        loop {
            if let Some(order) = self.place_once(merchant_code, fixture.clone()).await? {
                return Ok(order);
            }
        }
    }

    /// The order placed, or `None` when a promotion it used was used up meanwhile.
    async fn place_once(&self, merchant_code: &str, fixture: OrderFixture) -> Result<Option<Order>> {
        let now = fixture.age.map_or_else(|| self.now(), |age| self.now() - age);
        let input = fixture.input;
        let payment_input = input.payment.clone().ok_or(Error::MissingField("PaymentDetails"))?;
        let payment_type = validation::payment_type(&payment_input)?;
        if payment_type == PaymentType::PayPal && fixture.status.is_none() {
            return Err(Error::invalid(
                "PaymentDetails.Type",
                "PAYPAL needs the shopper's redirect to PayPal, which this gateway does not emulate: use TEST, CC or \
                 PREVIOUS_ORDER (the data file loads PayPal orders given a Status)",
            ));
        }

        // The buyer: given in full, or — reusing an earlier order's payment — copied from it.
        let billing_input = input.billing.clone().ok_or(Error::MissingField("BillingDetails"))?;
        let previous = match payment_type {
            PaymentType::PreviousOrder => {
                Some(self.previous_order(merchant_code, &payment_input, &billing_input).await?)
            }
            _ => None,
        };
        let billing = match &previous {
            Some(previous) if billing_input.only_email() => previous.billing.clone(),
            _ => validation::address(Prefix::Billing, billing_input)?,
        };
        let delivery =
            input.delivery.clone().filter(|details| !details.only_email() || details.email.is_some());
        let delivery = delivery.map(|details| validation::address(Prefix::Delivery, details)).transpose()?;

        let config = self.merchant_config(merchant_code);
        let currency = input
            .currency
            .as_deref()
            .or(payment_input.currency.as_deref())
            .map(|currency| currency.trim().to_ascii_uppercase())
            .filter(|currency| !currency.is_empty())
            .unwrap_or_else(|| config.default_currency().to_owned());
        if !config.sells_in(&currency) {
            return Err(Error::invalid(
                "Currency",
                format!("{currency} is not one of the merchant's currencies"),
            ));
        }

        // The payment: a card's safe parts; the earlier order's card for PREVIOUS_ORDER.
        let (card, declined) = match (&previous, payment_type) {
            (Some(previous), _) => (previous.payment.card.clone(), false),
            (None, PaymentType::Card) if fixture.stored_card.is_some() => {
                (fixture.stored_card.clone(), false)
            }
            (None, PaymentType::Test | PaymentType::Card) => {
                let (card, declined) = validation::card(&payment_input)?;
                (Some(card), declined)
            }
            (None, PaymentType::PreviousOrder | PaymentType::PayPal) => (None, false),
        };
        let recurring = payment_input.recurring_enabled.unwrap_or(false);

        // The items, priced from the catalog.
        if input.items.is_empty() {
            return Err(Error::OrderProductsEmpty);
        }
        if input.items.len() > MAX_ITEMS {
            return Err(Error::invalid("Items", format!("holds more than {MAX_ITEMS} items")));
        }
        let renews = fixture.renews;
        let promotions = self.order_promotions(merchant_code, &input.coupons).await?;
        let mut applied = vec![false; promotions.len()];
        let delivery_country = delivery.as_ref().map_or(&billing.country_code, |d| &d.country_code);
        let mut parcel = Parcel::new(&currency, &billing.country_code, delivery_country);
        let pricing = Pricing {
            config: &config,
            currency: &currency,
            country: &billing.country_code,
            renewal: renews.is_some(),
        };
        let mut renewal = None;
        let status = match fixture.status {
            Some(status) => status,
            None if declined => OrderStatus::Pending,
            None => OrderStatus::AuthReceived,
        };
        let paid = matches!(status, OrderStatus::AuthReceived | OrderStatus::Complete);
        let mut items = Vec::with_capacity(input.items.len());
        let mut subscriptions = Vec::new();
        let mut references = fixture.subscription_references.into_iter();
        for item in &input.items {
            let code = item.code.as_deref().map(str::trim).filter(|code| !code.is_empty());
            let code = code.ok_or_else(|| Error::OrderProductCodeInvalid(String::new()))?;
            let key = lookup_code(code).ok_or_else(|| Error::OrderProductCodeInvalid(code.to_owned()))?;
            let product = self
                .store()
                .find_product(merchant_code, &ProductKey::Code(key))
                .await?
                .filter(|product| product.fields.enabled)
                .ok_or_else(|| Error::OrderProductCodeInvalid(code.to_owned()))?;
            let quantity = item.quantity.unwrap_or(1);
            if !(1..=MAX_QUANTITY).contains(&quantity) {
                return Err(Error::OrderItemsQuantityInvalid);
            }
            let quantity = u32::try_from(quantity).unwrap_or(1);
            if !product.fields.purchase_multiple_units && quantity > 1 {
                return Err(Error::OrderItemsQuantityInvalid);
            }
            let groups = self.offered_option_groups(merchant_code, &product).await?;
            let (mut price, options) = pricing.item(&product, quantity, &item.price_options, &groups)?;
            let promotion = match renews {
                Some(_) => None,
                None => discounts::apply_promotions(&mut price, code, quantity, &promotions, &config)?,
            };
            if let Some(index) = promotion {
                applied[index] = true;
            }
            if product.fields.tangible {
                parcel.add(&product, quantity, &price);
            }
            let line_item_reference = line_item_reference(self)?;
            let item_renews = renews.as_ref().filter(|renewed| renewed.product_code == product.fields.code);
            if let (Some(renewed), Some(recurrence), true) = (item_renews, product.fields.recurrence, paid) {
                let from = renewed
                    .expiration_date
                    .ok_or(Error::InvalidSubscriptionOperation("A lifetime subscription is not renewed."))?;
                renewal = Some(Renewal {
                    reference: renewed.reference.clone(),
                    expiration_date: from,
                    new_expiration_date: add_cycle(from, recurrence.length, recurrence.unit),
                });
            } else if paid && product.fields.generates_subscription && renews.is_none() {
                let reference = match references.next() {
                    Some(reference) => reference,
                    None => subscription_reference(self)?,
                };
                let expiration = product
                    .fields
                    .recurrence
                    .map(|recurrence| add_cycle(now, recurrence.length, recurrence.unit));
                subscriptions.push(Subscription {
                    reference,
                    customer_reference: 0,
                    order_ref_no: RefNo::new(),
                    product_code: product.fields.code.clone(),
                    product_name: product.fields.name.clone(),
                    quantity,
                    line_item_reference: line_item_reference.clone(),
                    purchase_date: now,
                    start_date: now,
                    expiration_date: expiration,
                    trial: item.trial.unwrap_or(false),
                    enabled: true,
                    recurring_enabled: recurring,
                    email: billing.email.to_lowercase(),
                    country_code: billing.country_code.clone(),
                    renewed_at: None,
                    latest_order_ref_no: RefNo::new(),
                });
            }
            items.push(OrderItem {
                line_item_reference,
                purchase_type: PurchaseType::Product,
                promotion: promotion.map(|index| promotions[index].1.code.clone()),
                product_code: product.fields.code.clone(),
                product_id: product.id,
                product_name: product.fields.name.clone(),
                short_description: product.fields.short_description.clone(),
                tangible: product.fields.tangible,
                quantity,
                price_options: options,
                trial: item.trial.unwrap_or(false),
                price,
                renews: item_renews.map(|renewed| renewed.reference.clone()),
            });
        }
        let shipping_method = match input.shipping_method.as_deref().map(str::trim).filter(|c| !c.is_empty())
        {
            Some(code) => {
                let (choice, line) = self.shipping_line(&config, code, &parcel)?;
                items.push(line);
                Some(choice)
            }
            None => None,
        };
        let promotion_uses = promotions
            .iter()
            .zip(&applied)
            .filter(|(_, applied)| **applied)
            .map(|((_, promotion), _)| PromotionUse {
                code: promotion.code.clone(),
                maximum_orders: promotion.maximum_orders_number,
            })
            .collect();
        let promotions: Vec<AppliedPromotion> = promotions
            .into_iter()
            .zip(applied)
            .filter(|(_, applied)| *applied)
            .map(|((coupon, promotion), _)| AppliedPromotion {
                discount_label: discounts::label(&promotion.discount),
                code: promotion.code,
                name: promotion.name,
                coupon,
            })
            .collect();
        let totals = totals(&currency, &items);

        // The customer: named, else the earlier order's, else a new one from the billing details.
        let customer = match self.order_customer(merchant_code, &input).await? {
            Some(reference) => OrderCustomer::Existing(reference),
            None => match &previous {
                Some(previous) => OrderCustomer::Existing(previous.customer_reference),
                None => OrderCustomer::New(Box::new(validate_customer(customer_input(&billing, &input))?)),
            },
        };
        let stored_card = match (payment_type, &card, declined) {
            (PaymentType::Card | PaymentType::Test, Some(card), false) if fixture.stored_card.is_none() => {
                Some(Card {
                    card_type: card.card_type.clone(),
                    last_digits: card.last_digits.clone(),
                    expiration_month: card.expiration_month.clone(),
                    expiration_year: card.expiration_year.clone(),
                    name_on_card: card.holder_name.clone(),
                    transient_token: Some(token::new_token(self.random())?),
                })
            }
            _ => None,
        };

        let error = declined.then(|| {
            let message = "Couldn't complete the payment validation process: the card was declined.";
            ("CARD_PAYMENT_ERROR".to_owned(), message.to_owned())
        });
        let complete_at = match status {
            OrderStatus::AuthReceived => {
                Some(crate::kernel::dates::shifted(now, self.settings().order_completion))
            }
            OrderStatus::Complete => Some(now),
            _ => None,
        };
        let approve_status = fixture.approve_status.unwrap_or(match status {
            OrderStatus::Complete => ApproveStatus::Ok,
            _ => ApproveStatus::Waiting,
        });
        let external_reference =
            crate::kernel::fields::optional("ExternalReference", input.external_reference, 100)?;
        let order = Order {
            ref_no: fixture.ref_no.unwrap_or_default(),
            external_reference,
            customer_reference: 0,
            external_customer_reference: None,
            stored_status: status,
            approve_status,
            language: input
                .language
                .map(|l| l.trim().to_ascii_lowercase())
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| "en".into()),
            country: input
                .country
                .map(|c| c.trim().to_ascii_lowercase())
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| billing.country_code.clone()),
            source: input.source,
            affiliate_code: input.affiliate_code,
            affiliate_source: input.affiliate_source,
            billing,
            delivery,
            payment: Payment {
                payment_type,
                currency: currency.clone(),
                customer_ip: payment_input.customer_ip.or(input.customer_ip),
                card,
                recurring_enabled: recurring,
                previous_ref_no: previous.map(|previous| previous.ref_no),
            },
            items,
            currency,
            totals,
            promotions,
            shipping_method,
            test: payment_type == PaymentType::Test,
            error,
            placed_at: now,
            complete_at,
            subscriptions,
        };
        let new = NewOrder { order, customer, card: stored_card, renewal, promotion_uses, now: self.now() };
        match self.store().insert_order(merchant_code, new.clone()).await {
            Err(StoreError::LimitReached(_)) => Ok(None),
            // Another order created the customer with this external reference meanwhile: the
            // order is for that customer.
            Err(StoreError::Duplicate(Unique::ExternalReference)) => {
                let OrderCustomer::New(fields) = &new.customer else {
                    return Err(Error::DuplicateExternalReference);
                };
                let external = fields.external_reference.as_deref().unwrap_or_default();
                let existing = self.customer_by_external(merchant_code, external).await?;
                let existing = existing.ok_or(Error::DuplicateExternalReference)?;
                let new = NewOrder { customer: OrderCustomer::Existing(existing.reference), ..new };
                match self.store().insert_order(merchant_code, new).await {
                    Err(StoreError::LimitReached(_)) => Ok(None),
                    result => Ok(Some(result?)),
                }
            }
            result => Ok(Some(result?)),
        }
    }

    /// The price option groups the product's pricing configurations offer.
    pub(crate) async fn offered_option_groups(
        &self,
        merchant_code: &str,
        product: &Product,
    ) -> Result<Vec<PriceOptionGroup>> {
        let group_codes: Vec<String> = product
            .fields
            .pricing_configurations
            .iter()
            .flat_map(|c| c.price_options.iter().map(|o| o.group_code.clone()))
            .collect();
        Ok(self.store().find_price_option_groups(merchant_code, &group_codes).await?)
    }

    /// The shipping line of an order whose tangible items make up `parcel`.
    fn shipping_line(
        &self,
        config: &crate::settings::MerchantConfig,
        code: &str,
        parcel: &Parcel<'_>,
    ) -> Result<(ShippingChoice, OrderItem)> {
        let method =
            config.shipping_methods.iter().find(|method| method.code.eq_ignore_ascii_case(code)).ok_or_else(
                || Error::InvalidShippingMethod(format!("{code} is not a shipping method of the merchant")),
            )?;
        if parcel.units == 0 {
            return Err(Error::InvalidShippingMethod("the order has no tangible products to ship".into()));
        }
        let price = quote(config, method, parcel)?.ok_or_else(|| {
            Error::InvalidShippingMethod(format!(
                "{code} is inactive or does not deliver to {}",
                parcel.delivery_country
            ))
        })?;
        let choice = ShippingChoice {
            code: method.code.clone(),
            name: method.name.clone(),
            tracking_url: method.tracking_url.clone(),
        };
        let line = OrderItem {
            line_item_reference: line_item_reference(self)?,
            purchase_type: PurchaseType::Shipping,
            product_code: method.code.clone(),
            product_id: 0,
            product_name: method.name.clone(),
            short_description: None,
            tangible: false,
            quantity: 1,
            price_options: Vec::new(),
            trial: false,
            price: ItemPrice {
                currency: price.currency.clone(),
                vat_percent: price.vat_percent,
                unit_net: price.net.total,
                unit_vat: price.gross.total - price.net.total,
                unit_gross: price.gross.total,
                unit_discount: Decimal::ZERO,
                net: price.net.total,
                vat: price.gross.total - price.net.total,
                gross: price.gross.total,
                discount: Decimal::ZERO,
            },
            renews: None,
            promotion: None,
        };
        Ok((choice, line))
    }

    /// The order a `PREVIOUS_ORDER` payment names, if its payment may be reused and the e-mail
    /// matches.
    async fn previous_order(
        &self,
        merchant_code: &str,
        payment: &PaymentInput,
        billing: &AddressInput,
    ) -> Result<Order> {
        let ref_no = payment.ref_no.as_deref().map(str::trim).filter(|ref_no| !ref_no.is_empty());
        let ref_no = ref_no.ok_or(Error::MissingField("PaymentDetails.PaymentMethod.RefNo"))?;
        let previous = self.find_order(merchant_code, ref_no).await?.ok_or(Error::PreviousOrderNotFound)?;
        match previous.reusable(self.now()) {
            Err(Unusable::NotPaid) => return Err(Error::PreviousOrderNotPaid),
            Err(Unusable::PaymentMethod) => return Err(Error::PreviousOrderPaymentMethod),
            Ok(()) => {}
        }
        let email = billing.email.as_deref().map(str::trim).filter(|email| !email.is_empty());
        let email = email.ok_or(Error::MissingField("BillingDetails.Email"))?;
        if !email.eq_ignore_ascii_case(&previous.billing.email) {
            return Err(Error::PreviousOrderEmailMismatch);
        }
        Ok(previous)
    }

    /// The customer the order names: an `AvangateCustomerReference` must exist; an external
    /// reference nobody has yet names the customer the order creates.
    async fn order_customer(&self, merchant_code: &str, input: &OrderInput) -> Result<Option<i64>> {
        let external = input.external_customer_reference.as_deref().map(str::trim).filter(|e| !e.is_empty());
        let internal = input.customer_reference.filter(|reference| *reference != 0);
        match (internal, external) {
            (None, None) => Ok(None),
            (None, Some(external)) => {
                Ok(self.customer_by_external(merchant_code, external).await?.map(|c| c.reference))
            }
            (internal, external) => {
                let lookup =
                    CustomerLookup::from_references(internal, external).ok_or(Error::CustomerNotFound)?;
                Ok(Some(self.resolve_code(merchant_code, &lookup).await?.reference))
            }
        }
    }

    pub(crate) async fn find_order(&self, merchant_code: &str, ref_no: &str) -> Result<Option<Order>> {
        if ref_no.is_empty() || ref_no.len() > 20 || !ref_no.chars().all(|c| c.is_ascii_digit()) {
            return Ok(None);
        }
        Ok(self.store().find_order(merchant_code, ref_no).await?)
    }

    /// `getOrder`.
    pub async fn order(&self, merchant: &MerchantContext, ref_no: &str) -> Result<Order> {
        self.find_order(merchant.code(), ref_no.trim()).await?.ok_or(Error::OrderNotFound)
    }

    /// `isValidOrderReference`: whether a new order may reuse this order's payment.
    pub async fn is_valid_order_reference(&self, merchant: &MerchantContext, ref_no: &str) -> Result<bool> {
        let order = self.find_order(merchant.code(), ref_no.trim()).await?;
        Ok(order.is_some_and(|order| order.reusable(self.now()).is_ok()))
    }

    /// REST's order search, newest first.
    pub async fn search_orders(
        &self,
        merchant: &MerchantContext,
        input: OrderSearchInput,
    ) -> Result<OrderPage> {
        let query = validation::order_query(input)?;
        let (items, count) = self.store().search_orders(merchant.code(), &query, self.now()).await?;
        Ok(OrderPage { items, page: query.page, limit: query.limit, count })
    }

    /// Loads an order from the data file unless the merchant already has its `RefNo`.
    pub async fn load_order(&self, merchant_code: &str, fixture: OrderFixture) -> Result<Option<RefNo>> {
        if self.merchants().get(merchant_code).is_none() {
            return Err(Error::invalid("Merchant", format!("\"{merchant_code}\" is not configured")));
        }
        let ref_no = fixture.ref_no.clone();
        if let Some(ref_no) = &ref_no
            && self.find_order(merchant_code, ref_no).await?.is_some()
        {
            return Ok(None);
        }
        match self.place(merchant_code, fixture).await {
            Ok(order) => Ok(Some(order.ref_no)),
            // Another instance loading the same file placed it first.
            Err(error) => match &ref_no {
                Some(ref_no) if self.find_order(merchant_code, ref_no).await?.is_some() => Ok(None),
                _ => Err(error),
            },
        }
    }
}
