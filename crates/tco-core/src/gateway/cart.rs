//! The hosted cart's operations on the rules of [`crate::subscriptions::cart`]: opening the cart
//! with a sign-on token, renewal offers, and renewals and purchases placed through the same
//! `place` as `placeOrder`, paid with a stored card.

use crate::customers::{Card, Customer};
use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::gateway::renewals::renewal_placement;
use crate::orders::{
    AddressInput, CardSummary, ItemInput, ItemPrice, Order, OrderInput, PaymentInput, Placement,
};
use crate::subscriptions::cart::CartShopper;
use crate::subscriptions::{SubscriptionRecord, SubscriptionStatus};
use chrono::Duration;
use std::net::IpAddr;

/// How long a shopper has between opening the cart and placing the order.
const CART_VALIDITY: Duration = Duration::minutes(30);

/// The shopper's card with this token, as an order's payment shows it (the first digits are
/// not stored with a card).
fn stored_card(cards: &[Card], card_token: &str) -> Result<CardSummary> {
    let card = cards
        .iter()
        .find(|card| card.transient_token.as_deref() == Some(card_token.trim()))
        .ok_or(Error::CardNotFound)?;
    Ok(CardSummary {
        first_digits: String::new(),
        last_digits: card.last_digits.clone(),
        card_type: card.card_type.clone(),
        expiration_month: card.expiration_month.clone(),
        expiration_year: card.expiration_year.clone(),
        holder_name: card.name_on_card.clone(),
    })
}

impl Gateway {
    /// Spends a `logintoken` and signs the shopper in to the cart.
    pub async fn open_cart(
        &self,
        merchant_code: &str,
        login_token: &str,
        client_ip: Option<IpAddr>,
    ) -> Result<CartShopper> {
        let grant = self.spend_token(merchant_code, login_token).await?;
        if !crate::customers::sso::ip_allows(grant.validation_ip.as_deref(), client_ip) {
            return Err(Error::InvalidSsoToken);
        }
        self.cart_shopper(merchant_code, grant.customer_reference).await
    }

    /// Spends the cart token of a submitted form; the shopper it signed in.
    pub async fn resume_cart(&self, merchant_code: &str, cart_token: &str) -> Result<CartShopper> {
        let grant = self.spend_token(merchant_code, cart_token).await?;
        self.cart_shopper(merchant_code, grant.customer_reference).await
    }

    /// The customer with its cards, and a new cart token for the next form.
    async fn cart_shopper(&self, merchant_code: &str, reference: i64) -> Result<CartShopper> {
        let customer =
            self.store().find_customer(merchant_code, reference).await?.ok_or(Error::InvalidSsoToken)?;
        let cards = self.store().cards(merchant_code, reference).await?;
        let cart_token = self.grant_token(merchant_code, reference, CART_VALIDITY, None).await?;
        Ok(CartShopper { customer, cards, cart_token })
    }

    /// The subscription the shopper may renew, with the renewal's price; why not otherwise (a
    /// sentence for the page).
    pub async fn renewal_offer(
        &self,
        merchant_code: &str,
        shopper: &Customer,
        reference: &str,
    ) -> Result<std::result::Result<(SubscriptionRecord, ItemPrice), &'static str>> {
        let Some(record) = self.find_subscription(merchant_code, reference).await? else {
            return Ok(Err("There is no such subscription."));
        };
        let subscription = &record.subscription;
        if subscription.customer_reference != shopper.reference
            || !subscription.email.eq_ignore_ascii_case(&shopper.fields.email)
        {
            return Ok(Err("This subscription belongs to another shopper."));
        }
        if subscription.lifetime() {
            return Ok(Err("A lifetime subscription does not renew."));
        }
        match subscription.status(self.now(), self.settings().grace_period) {
            SubscriptionStatus::Active | SubscriptionStatus::PastDue => {}
            SubscriptionStatus::Expired => {
                return Ok(Err("This subscription has expired; it can no longer be renewed."));
            }
            SubscriptionStatus::Disabled => return Ok(Err("This subscription is disabled.")),
        }
        if !record.paid_by_card() {
            return Ok(Err("Only subscriptions paid by card renew here."));
        }
        let price = self.renewal_price(merchant_code, &record).await?;
        Ok(Ok((record, price)))
    }

    /// What renewing costs: the product's renewal price for the subscription's quantity and
    /// options (or the price an imported subscription agreed), in the first order's currency,
    /// with the VAT of its billing country.
    async fn renewal_price(&self, merchant_code: &str, record: &SubscriptionRecord) -> Result<ItemPrice> {
        let subscription = &record.subscription;
        let key = crate::catalog::ProductKey::Code(subscription.product_code.clone());
        let product = self.store().find_product(merchant_code, &key).await?.ok_or(Error::ProductNotFound)?;
        let groups = self.offered_option_groups(merchant_code, &product).await?;
        let config = self.merchant_config(merchant_code);
        let pricing = crate::orders::pricing::Pricing {
            config: &config,
            currency: record.currency(),
            country: &record.end_user().country_code,
            renewal: true,
        };
        if let Some(unit) = record.agreed_renewal_price() {
            return Ok(pricing.dynamic_item(unit, subscription.quantity));
        }
        let (price, _) = pricing.item(&product, subscription.quantity, &record.price_options(), &groups)?;
        Ok(price)
    }

    /// Places the renewal order, paid with the shopper's stored card `card_token`: the order
    /// is authorized at once and the subscription runs a billing cycle longer.
    pub async fn renew_in_cart(
        &self,
        merchant_code: &str,
        shopper: &Customer,
        cards: &[Card],
        reference: &str,
        card_token: &str,
    ) -> Result<Order> {
        let record = match self.renewal_offer(merchant_code, shopper, reference).await? {
            Ok((record, _)) => record,
            Err(why) => return Err(Error::InvalidSubscriptionOperation(why)),
        };
        // The shopper owns it (`renewal_offer` checked): the renewal is the subscription's, as
        // the clock's would be, paid with the card the shopper chose.
        let fixture = renewal_placement(&record, stored_card(cards, card_token)?);
        let order = self.place(merchant_code, fixture).await?;
        // Read back, the order shows the subscription as the renewal left it.
        Ok(self.find_order(merchant_code, &order.ref_no).await?.unwrap_or(order))
    }

    /// Places an order of `items` (product code and quantity) for the shopper, billed to the
    /// customer's details and paid with the stored card `card_token`.
    pub async fn buy_in_cart(
        &self,
        merchant_code: &str,
        shopper: &Customer,
        cards: &[Card],
        items: &[(String, i64)],
        card_token: &str,
    ) -> Result<Order> {
        let currency = self.merchant_config(merchant_code).default_currency().to_owned();
        let fields = &shopper.fields;
        let input = OrderInput {
            currency: Some(currency.clone()),
            language: fields.language.clone(),
            customer_reference: Some(shopper.reference),
            items: items
                .iter()
                .map(|(code, quantity)| ItemInput {
                    code: Some(code.clone()),
                    quantity: Some(*quantity),
                    ..ItemInput::default()
                })
                .collect(),
            billing: Some(AddressInput {
                first_name: Some(fields.first_name.clone()),
                last_name: Some(fields.last_name.clone()),
                company: fields.company.clone(),
                email: Some(fields.email.clone()),
                phone: fields.phone.clone(),
                address1: Some(fields.address1.clone()),
                address2: fields.address2.clone(),
                city: Some(fields.city.clone()),
                state: fields.state.clone(),
                zip: Some(fields.zip.clone()),
                country_code: Some(fields.country_code.clone()),
                ..AddressInput::default()
            }),
            payment: Some(PaymentInput::card(&currency, true)),
            ..OrderInput::default()
        };
        let fixture =
            Placement { input, stored_card: Some(stored_card(cards, card_token)?), ..Placement::default() };
        self.place(merchant_code, fixture).await
    }
}
