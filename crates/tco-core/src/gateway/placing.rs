//! Placing an order — `placeOrder`, a data file's orders, the hosted cart's purchases and
//! renewals — in named steps: the buyer, the charge, the lines and their prices, the customer,
//! then one store transaction with everything the order changes.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::campaigns::Promotion;
use crate::catalog::{Product, ProductKey, Recurrence};
use crate::customers::{Card, CustomerInput, CustomerLookup, validate_customer};
use crate::error::{Error, Result, StoreError, Unique};
use crate::gateway::Gateway;
use crate::kernel::fields::{lookup_code, optional};
use crate::kernel::{dates, token};
use crate::orders::dynamic::dynamic_product;
use crate::orders::input::{AddressInput, ItemInput, OrderInput, PaymentInput};
use crate::orders::model::{
    Address, AppliedPromotion, ApproveStatus, CardSummary, DynamicItem, ItemPrice, Order, OrderItem,
    OrderStatus, Payment, PaymentType, PurchaseType, RefNo, ShippingChoice, Subscription, Unusable, Upgraded,
};
use crate::orders::pricing::Pricing;
use crate::orders::validation::Prefix;
use crate::orders::{
    MAX_QUANTITY, NewOrder, OrderCustomer, Placement, PromotionUse, Renewal, UpgradedTo, add_cycle,
    discounts, validation,
};
use crate::settings::MerchantConfig;
use crate::shipping::{Parcel, quote};

const MAX_ITEMS: usize = 100;

/// Who buys and how they pay: the payment as sent, its type, the earlier order a
/// `PREVIOUS_ORDER` payment reuses, and the addresses.
struct Buyer {
    payment: PaymentInput,
    payment_type: PaymentType,
    previous: Option<Order>,
    billing: Address,
    delivery: Option<Address>,
}

/// What the order is charged: its currency, the card's safe parts, whether the card was
/// declined (and why), and the status that gives the order.
struct Charge {
    currency: String,
    card: Option<CardSummary>,
    /// Why the processor declined the card, if it did.
    declined: Option<&'static str>,
    recurring: bool,
    status: OrderStatus,
}

impl Charge {
    fn paid(&self) -> bool {
        matches!(self.status, OrderStatus::AuthReceived | OrderStatus::Complete)
    }
}

/// The order's lines, priced, with what they create or change.
#[derive(Default)]
struct Lines {
    items: Vec<OrderItem>,
    subscriptions: Vec<Subscription>,
    renewal: Option<Renewal>,
    promotions: Vec<AppliedPromotion>,
    promotion_uses: Vec<PromotionUse>,
    shipping_method: Option<ShippingChoice>,
}

/// What an item orders, priced: a catalog product's fields, or a dynamic product's.
struct Ordered {
    code: String,
    id: i64,
    name: String,
    short_description: Option<String>,
    tangible: bool,
    weight: Option<Decimal>,
    quantity: u32,
    price: ItemPrice,
    /// The catalog options chosen (a required group's default included).
    options: Vec<String>,
    recurrence: Option<Recurrence>,
    generates_subscription: bool,
    dynamic: Option<DynamicItem>,
}

/// The quantity an item is ordered in: 1 unless given, at most one unit of a product sold one
/// at a time.
fn quantity(item: &ItemInput, multiple_units: bool) -> Result<u32> {
    let quantity = item.quantity.unwrap_or(1);
    match u32::try_from(quantity) {
        Ok(quantity)
            if (1..=MAX_QUANTITY).contains(&i64::from(quantity)) && (multiple_units || quantity == 1) =>
        {
            Ok(quantity)
        }
        _ => Err(Error::OrderItemsQuantityInvalid),
    }
}

/// What pricing the lines needs: the placement, buyer and charge, the catalog's prices in the
/// charge's currency, the promotions an order gets, the parcel its tangible items make.
struct Pricer<'p> {
    merchant_code: &'p str,
    placement: &'p Placement,
    buyer: &'p Buyer,
    charge: &'p Charge,
    config: &'p MerchantConfig,
    pricing: Pricing<'p>,
    promotions: &'p [(Option<String>, Promotion)],
    applied: Vec<bool>,
    parcel: Parcel<'p>,
    now: DateTime<Utc>,
}

impl Gateway {
    /// Places `placement`'s order and stores it with everything it changes.
    pub(crate) async fn place(&self, merchant_code: &str, placement: Placement) -> Result<Order> {
        // A promotion that another order used up meanwhile does not discount this one: priced
        // again, it no longer applies (each round drops at least one promotion).
        loop {
            if let Some(order) = self.place_once(merchant_code, placement.clone()).await? {
                return Ok(order);
            }
        }
    }

    /// The order placed, or `None` when a promotion it used was used up meanwhile.
    async fn place_once(&self, merchant_code: &str, placement: Placement) -> Result<Option<Order>> {
        let now = placement.age.map_or_else(|| self.now(), |age| self.now() - age);
        let config = self.merchant_config(merchant_code);
        let buyer = self.buyer(merchant_code, &placement).await?;
        let charge = charge(&placement, &buyer, &config, now)?;
        let lines = self.lines(merchant_code, &placement, &buyer, &charge, &config, now).await?;
        let customer = self.order_customer_of(merchant_code, &placement.input, &buyer).await?;
        let card = self.card_to_store(&placement, &buyer, &charge)?;
        // A data file describes orders as they are; only those placed now are announced.
        let described = placement.ref_no.is_some() || placement.age.is_some() || placement.status.is_some();
        let renewed = placement.renews.clone();
        let NewOrderParts { order, renewal, promotion_uses } =
            order_of(placement, buyer, charge, lines, now, self.settings().order_completion)?;
        let mut events = match described {
            true => order
                .subscriptions
                .iter()
                .flat_map(|subscription| self.lifecycle_events(subscription))
                .collect(),
            false => self.order_events(&order),
        };
        if let (Some(mut renewed), Some(renewal)) = (renewed, &renewal) {
            renewed.expiration_date = Some(renewal.new_expiration_date);
            renewed.enabled &= !renewal.replaced;
            if let Some(upgrade) = &renewal.upgrade {
                renewed.product_code.clone_from(&upgrade.product_code);
                renewed.product_name.clone_from(&upgrade.product_name);
                renewed.upgraded = Some(upgrade.upgraded.clone());
            }
            events.extend(self.licence_change_events(&renewed));
        }
        let new = NewOrder { order, customer, card, renewal, promotion_uses, events, now: self.now() };
        self.store_order(merchant_code, new).await
    }

    /// The buyer: given in full, or — reusing an earlier order's payment — copied from it.
    async fn buyer(&self, merchant_code: &str, placement: &Placement) -> Result<Buyer> {
        let input = &placement.input;
        let payment = input.payment.clone().ok_or(Error::MissingField("PaymentDetails"))?;
        let payment_type = validation::payment_type(&payment)?;
        if payment_type == PaymentType::PayPal && placement.status.is_none() {
            return Err(Error::invalid(
                "PaymentDetails.Type",
                "PAYPAL needs the shopper's redirect to PayPal, which this gateway does not emulate: use TEST, CC or \
                 PREVIOUS_ORDER (the data file loads PayPal orders given a Status)",
            ));
        }
        let billing_input = input.billing.clone().ok_or(Error::MissingField("BillingDetails"))?;
        let previous = match payment_type {
            PaymentType::PreviousOrder => {
                Some(self.previous_order(merchant_code, &payment, &billing_input).await?)
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
        Ok(Buyer { payment, payment_type, previous, billing, delivery })
    }

    /// The lines, priced from the catalog, with the subscriptions they create, the renewal they
    /// make, the promotions that discounted them and the shipping line.
    async fn lines(
        &self,
        merchant_code: &str,
        placement: &Placement,
        buyer: &Buyer,
        charge: &Charge,
        config: &Arc<MerchantConfig>,
        now: DateTime<Utc>,
    ) -> Result<Lines> {
        let input = &placement.input;
        if input.items.is_empty() {
            return Err(Error::OrderProductsEmpty);
        }
        if input.items.len() > MAX_ITEMS {
            return Err(Error::invalid("Items", format!("holds more than {MAX_ITEMS} items")));
        }
        let promotions = self.order_promotions(merchant_code, &input.coupons).await?;
        let delivery_country =
            buyer.delivery.as_ref().map_or(&buyer.billing.country_code, |d| &d.country_code);
        let mut pricer = Pricer {
            merchant_code,
            placement,
            buyer,
            charge,
            config,
            pricing: Pricing {
                config,
                currency: &charge.currency,
                country: &buyer.billing.country_code,
                renewal: placement.renews.is_some(),
            },
            promotions: &promotions,
            applied: vec![false; promotions.len()],
            parcel: Parcel::new(&charge.currency, &buyer.billing.country_code, delivery_country),
            now,
        };
        let mut lines = Lines::default();
        let mut references = placement.subscription_references.iter().cloned();
        for item in &input.items {
            self.line(&mut pricer, &mut lines, item, &mut references).await?;
        }
        if let Some(code) = input.shipping_method.as_deref().map(str::trim).filter(|code| !code.is_empty()) {
            let (choice, line) = self.shipping_line(config, code, &pricer.parcel)?;
            lines.items.push(line);
            lines.shipping_method = Some(choice);
        }
        let applied = pricer.applied;
        let used = promotions.into_iter().zip(applied).filter(|(_, applied)| *applied);
        for ((coupon, promotion), _) in used {
            lines.promotion_uses.push(PromotionUse {
                code: promotion.code.clone(),
                maximum_orders: promotion.maximum_orders_number,
            });
            lines.promotions.push(AppliedPromotion {
                discount_label: discounts::label(&promotion.discount),
                code: promotion.code,
                name: promotion.name,
                coupon,
            });
        }
        Ok(lines)
    }

    /// One line: its product, price and promotion, and the subscription it creates or renews.
    async fn line(
        &self,
        pricer: &mut Pricer<'_>,
        lines: &mut Lines,
        item: &ItemInput,
        references: &mut impl Iterator<Item = String>,
    ) -> Result<()> {
        let (placement, buyer, charge) = (pricer.placement, pricer.buyer, pricer.charge);
        let Ordered {
            code,
            id,
            name,
            short_description,
            tangible,
            weight,
            quantity,
            mut price,
            options,
            recurrence,
            generates_subscription,
            dynamic,
        } = self.ordered(pricer, item).await?;
        let promotion = match placement.renews {
            Some(_) => None,
            None => {
                discounts::apply_promotions(&mut price, &code, quantity, pricer.promotions, pricer.config)?
            }
        };
        if let Some(index) = promotion {
            pricer.applied[index] = true;
        }
        if tangible {
            pricer.parcel.add(weight, quantity, &price);
        }
        let line_item_reference = line_item_reference(self)?;
        let upgrade = placement.upgrade_terms;
        let renews =
            placement.renews.as_ref().filter(|renewed| renewed.product_code == code || upgrade.is_some());
        let terms = placement.renewal_terms.filter(|_| renews.is_some());
        let unit_price = terms.map(|terms| terms.unit_price).or(upgrade.map(|terms| terms.unit_price));
        if let (Some(unit_price), Some(_)) = (unit_price, renews) {
            price = pricer.pricing.dynamic_item(unit_price, quantity);
        }
        // An upgrade by a new subscription: the item is a purchase, the upgraded one is disabled.
        let replacing = renews.is_some() && upgrade.is_some_and(|terms| terms.replaces);
        if let (Some(upgraded), Some(upgrade), true) = (renews, upgrade, charge.paid()) {
            let from = upgraded
                .expiration_date
                .ok_or(Error::InvalidSubscriptionOperation("A lifetime subscription is not upgraded."))?;
            let moved_to = UpgradedTo {
                product_code: code.clone(),
                product_name: name.clone(),
                upgraded: Upgraded { product_id: id, price_options: options.clone() },
            };
            lines.renewal = Some(Renewal {
                reference: upgraded.reference.clone(),
                expiration_date: from,
                new_expiration_date: if replacing { from } else { upgrade.new_expiration_date },
                upgrade: (!replacing).then_some(moved_to),
                replaced: replacing,
            });
        } else if let (Some(renewed), Some(recurrence), true) = (renews, recurrence, charge.paid()) {
            let from = renewed
                .expiration_date
                .ok_or(Error::InvalidSubscriptionOperation("A lifetime subscription is not renewed."))?;
            let new_expiration_date = match terms.and_then(|terms| terms.days) {
                Some(days) => crate::kernel::dates::shifted(from, chrono::Duration::days(days)),
                None => add_cycle(from, recurrence.length, recurrence.unit),
            };
            lines.renewal = Some(Renewal {
                reference: renewed.reference.clone(),
                expiration_date: from,
                new_expiration_date,
                upgrade: None,
                replaced: false,
            });
        }
        if charge.paid() && generates_subscription && (placement.renews.is_none() || replacing) {
            let reference = match references.next() {
                Some(reference) => reference,
                None => subscription_reference(self)?,
            };
            let expiration =
                recurrence.map(|recurrence| add_cycle(pricer.now, recurrence.length, recurrence.unit));
            lines.subscriptions.push(Subscription {
                reference,
                customer_reference: 0,
                order_ref_no: RefNo::new(),
                product_code: code.clone(),
                product_name: name.clone(),
                quantity,
                line_item_reference: line_item_reference.clone(),
                purchase_date: pricer.now,
                start_date: pricer.now,
                expiration_date: expiration,
                trial: item.trial.unwrap_or(false),
                enabled: true,
                recurring_enabled: charge.recurring,
                email: buyer.billing.email.to_lowercase(),
                country_code: buyer.billing.country_code.clone(),
                renewed_at: None,
                latest_order_ref_no: RefNo::new(),
                upgraded: None,
                end_user: None,
            });
        }
        lines.items.push(OrderItem {
            line_item_reference,
            purchase_type: PurchaseType::Product,
            promotion: promotion.map(|index| pricer.promotions[index].1.code.clone()),
            product_code: code,
            product_id: id,
            product_name: name,
            short_description,
            tangible,
            quantity,
            price_options: options,
            trial: item.trial.unwrap_or(false),
            price,
            renews: renews.filter(|_| !replacing).map(|renewed| renewed.reference.clone()),
            dynamic,
        });
        Ok(())
    }

    /// What an item orders, priced: the catalog product it names, or the dynamic product it
    /// describes.
    async fn ordered(&self, pricer: &Pricer<'_>, item: &ItemInput) -> Result<Ordered> {
        if let Some(product) = dynamic_product(item)? {
            let quantity = quantity(item, true)?;
            let recurrence = product.item.recurring.as_ref().map(|recurring| recurring.cycle);
            return Ok(Ordered {
                code: product.code,
                id: 0,
                name: product.name,
                short_description: product.description,
                tangible: product.tangible,
                weight: None,
                quantity,
                price: pricer.pricing.dynamic_item(product.item.unit_price(), quantity),
                options: Vec::new(),
                recurrence,
                generates_subscription: recurrence.is_some(),
                dynamic: Some(product.item),
            });
        }
        let product = self.ordered_product(pricer.merchant_code, item).await?;
        let quantity = quantity(item, product.fields.purchase_multiple_units)?;
        let groups = self.offered_option_groups(pricer.merchant_code, &product).await?;
        let (price, options) = pricer.pricing.item(&product, quantity, &item.price_options, &groups)?;
        let fields = product.fields;
        Ok(Ordered {
            code: fields.code,
            id: product.id,
            name: fields.name,
            short_description: fields.short_description,
            tangible: fields.tangible,
            weight: fields.weight,
            quantity,
            price,
            options,
            recurrence: fields.recurrence,
            generates_subscription: fields.generates_subscription,
            dynamic: None,
        })
    }

    /// The enabled product an item names.
    async fn ordered_product(&self, merchant_code: &str, item: &ItemInput) -> Result<Product> {
        let code = item.code.as_deref().map(str::trim).filter(|code| !code.is_empty());
        let code = code.ok_or_else(|| Error::OrderProductCodeInvalid(String::new()))?;
        let key = lookup_code(code).ok_or_else(|| Error::OrderProductCodeInvalid(code.to_owned()))?;
        self.store()
            .find_product(merchant_code, &ProductKey::Code(key))
            .await?
            .filter(|product| product.fields.enabled)
            .ok_or_else(|| Error::OrderProductCodeInvalid(code.to_owned()))
    }

    /// The customer: named, else the earlier order's, else a new one from the billing details.
    async fn order_customer_of(
        &self,
        merchant_code: &str,
        input: &OrderInput,
        buyer: &Buyer,
    ) -> Result<OrderCustomer> {
        Ok(match self.order_customer(merchant_code, input).await? {
            Some(reference) => OrderCustomer::Existing(reference),
            None => match &buyer.previous {
                Some(previous) => OrderCustomer::Existing(previous.customer_reference),
                None => OrderCustomer::New(Box::new(validate_customer(customer_input(
                    &buyer.billing,
                    input.external_customer_reference.clone(),
                    input.language.clone(),
                ))?)),
            },
        })
    }

    /// The card a paid card order stores for its customer (once), with a new transient token.
    fn card_to_store(&self, placement: &Placement, buyer: &Buyer, charge: &Charge) -> Result<Option<Card>> {
        let card = match (buyer.payment_type, &charge.card, charge.declined) {
            (PaymentType::Card | PaymentType::Test, Some(card), None) if placement.stored_card.is_none() => {
                card
            }
            _ => return Ok(None),
        };
        Ok(Some(Card {
            card_type: card.card_type.clone(),
            last_digits: card.last_digits.clone(),
            expiration_month: card.expiration_month.clone(),
            expiration_year: card.expiration_year.clone(),
            name_on_card: card.holder_name.clone(),
            transient_token: Some(token::new_token(self.random())?),
        }))
    }

    /// Stores the order; `None` when a promotion it used was used up meanwhile.
    async fn store_order(&self, merchant_code: &str, new: NewOrder) -> Result<Option<Order>> {
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
            dynamic: None,
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
}

/// The currency, the card and the status the payment gives the order.
fn charge(
    placement: &Placement,
    buyer: &Buyer,
    config: &MerchantConfig,
    now: DateTime<Utc>,
) -> Result<Charge> {
    let input = &placement.input;
    let currency = input
        .currency
        .as_deref()
        .or(buyer.payment.currency.as_deref())
        .map(|currency| currency.trim().to_ascii_uppercase())
        .filter(|currency| !currency.is_empty())
        .unwrap_or_else(|| config.default_currency().to_owned());
    if !config.sells_in(&currency) {
        return Err(Error::invalid(
            "Currency",
            format!("{currency} is not one of the merchant's currencies"),
        ));
    }
    // A card's safe parts; the earlier order's card for PREVIOUS_ORDER.
    let (card, declined) = match (&buyer.previous, buyer.payment_type) {
        (Some(previous), _) => (previous.payment.card.clone(), None),
        (None, PaymentType::Card) if placement.stored_card.is_some() => (placement.stored_card.clone(), None),
        (None, payment_type @ (PaymentType::Test | PaymentType::Card)) => {
            let (card, declining) = validation::card(&buyer.payment)?;
            // A data file's order says how its payment went; only a declining card declines it.
            let declined = match declining {
                true => Some("the card was declined"),
                false if placement.status.is_some() => None,
                false if card.expired(now) => Some("the card has expired"),
                false if payment_type == PaymentType::Card => Some(
                    "CC charges a real card, which this gateway cannot; test orders use PaymentDetails Type TEST",
                ),
                false => None,
            };
            (Some(card), declined)
        }
        (None, PaymentType::PreviousOrder | PaymentType::PayPal) => (None, None),
    };
    let status = match placement.status {
        Some(status) => status,
        None if declined.is_some() => OrderStatus::Pending,
        None => OrderStatus::AuthReceived,
    };
    let recurring = buyer.payment.recurring_enabled.unwrap_or(false);
    Ok(Charge { currency, card, declined, recurring, status })
}

/// What [`order_of`] gives the store besides the order.
struct NewOrderParts {
    order: Order,
    renewal: Option<Renewal>,
    promotion_uses: Vec<PromotionUse>,
}

/// The order itself, from its parts.
fn order_of(
    placement: Placement,
    buyer: Buyer,
    charge: Charge,
    lines: Lines,
    now: DateTime<Utc>,
    completion: chrono::Duration,
) -> Result<NewOrderParts> {
    let input = placement.input;
    let error = charge.declined.map(|reason| {
        let message = format!("Couldn't complete the payment validation process: {reason}.");
        ("CARD_PAYMENT_ERROR".to_owned(), message)
    });
    let complete_at = match charge.status {
        OrderStatus::AuthReceived => Some(dates::shifted(now, completion)),
        OrderStatus::Complete => Some(now),
        _ => None,
    };
    // A refunded order was approved before its money went back.
    let approve_status = placement.approve_status.unwrap_or(match charge.status {
        OrderStatus::Complete | OrderStatus::Refund => ApproveStatus::Ok,
        _ => ApproveStatus::Waiting,
    });
    let lower =
        |value: Option<String>| value.map(|v| v.trim().to_ascii_lowercase()).filter(|v| !v.is_empty());
    let totals = totals(&charge.currency, &lines.items);
    let order = Order {
        ref_no: placement.ref_no.unwrap_or_default(),
        external_reference: optional("ExternalReference", input.external_reference, 100)?,
        customer_reference: 0,
        external_customer_reference: None,
        stored_status: charge.status,
        approve_status,
        language: lower(input.language).unwrap_or_else(|| "en".into()),
        country: lower(input.country).unwrap_or_else(|| buyer.billing.country_code.clone()),
        source: input.source,
        affiliate_code: input.affiliate_code,
        affiliate_source: input.affiliate_source,
        payment: Payment {
            payment_type: buyer.payment_type,
            currency: charge.currency.clone(),
            customer_ip: buyer.payment.customer_ip.or(input.customer_ip),
            card: charge.card,
            recurring_enabled: charge.recurring,
            previous_ref_no: buyer.previous.map(|previous| previous.ref_no),
        },
        billing: buyer.billing,
        delivery: buyer.delivery,
        items: lines.items,
        currency: charge.currency,
        totals,
        promotions: lines.promotions,
        shipping_method: lines.shipping_method,
        test: buyer.payment_type == PaymentType::Test,
        error,
        placed_at: now,
        complete_at,
        subscriptions: lines.subscriptions,
        adjustments: Default::default(),
    };
    Ok(NewOrderParts { order, renewal: lines.renewal, promotion_uses: lines.promotion_uses })
}

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

/// A new customer from an address (an order's billing details, an import's end user).
pub(super) fn customer_input(
    billing: &Address,
    external_reference: Option<String>,
    language: Option<String>,
) -> CustomerInput {
    CustomerInput {
        external_reference,
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
        language,
        ..CustomerInput::default()
    }
}

/// A line item's reference: 40 lower-case hex digits, as the vendor's are.
fn line_item_reference(gateway: &Gateway) -> Result<String> {
    Ok(hex::encode(token::random_bytes::<20>(gateway.random())?))
}

/// Ten upper-case letters and digits, as the vendor's subscription references are.
pub(super) fn subscription_reference(gateway: &Gateway) -> Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let buffer = token::random_bytes::<10>(gateway.random())?;
    Ok(buffer.iter().map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()])).collect())
}
