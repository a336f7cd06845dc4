//! The hosted cart's rules, for the page the server renders: a shopper arrives with the
//! single-use `logintoken` of `getSingleSignOnInCart`, which is spent on arrival and becomes a
//! cart token the page's form carries; placing the order spends that. A renewal is eligible as
//! the vendor's 1-click renewal page says: an active or past-due subscription of the shopper,
//! not lifetime, first paid by card, whose end user's e-mail is the shopper's.

use crate::customers::{Card, Customer};

/// The renewal page, under the gateway's public URL.
pub const RENEWAL_PATH: &str = "/order/renew.php";
/// The cart page for products (`prod`, `qty`) or none.
pub const CHECKOUT_PATH: &str = "/order/checkout.php";
/// A signed-in shopper in the cart: the customer, the stored cards (each with its token), and
/// the cart token the page's form sends back.
#[derive(Debug, Clone)]
pub struct CartShopper {
    pub customer: Customer,
    pub cards: Vec<Card>,
    pub cart_token: String,
}
