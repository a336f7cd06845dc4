//! The orders' operations: `placeOrder` (and the `place` that renewals and the cart use too),
//! `getOrder`, `isValidOrderReference`, the order search, and loading orders from a data file.

use crate::catalog::{PriceOptionGroup, Product};
use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::kernel::paging::Page;
use crate::merchant::MerchantContext;
use crate::orders::input::{OrderInput, OrderSearchInput};
use crate::orders::model::{Order, RefNo};
use crate::orders::{OrderComment, Placement, validation};

impl Gateway {
    /// `placeOrder`: the order as stored. A declined card gives a `PENDING` order with the
    /// vendor's in-body `CARD_PAYMENT_ERROR`, not an error.
    pub async fn place_order(&self, merchant: &MerchantContext, input: OrderInput) -> Result<Order> {
        self.place(merchant.code(), Placement { input, ..Placement::default() }).await
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

    /// `searchOrders`, newest first; without dates, the last 7 days by the gateway's clock.
    pub async fn search_orders(
        &self,
        merchant: &MerchantContext,
        input: OrderSearchInput,
    ) -> Result<Page<Order>> {
        let query = validation::order_query(input, self.now())?;
        let (items, count) = self.store().search_orders(merchant.code(), &query, self.now()).await?;
        Ok(Page { items, page: query.page, limit: query.limit, count })
    }

    /// Loads an order from the data file unless the merchant already has its `RefNo`.
    pub async fn load_order(&self, merchant_code: &str, fixture: Placement) -> Result<Option<RefNo>> {
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

impl Gateway {
    /// The order's comments, oldest first.
    pub async fn order_comments(
        &self,
        merchant: &MerchantContext,
        ref_no: &str,
    ) -> Result<Vec<OrderComment>> {
        let order = self.order(merchant, ref_no).await?;
        Ok(self.store().order_comments(merchant.code(), &order.ref_no).await?)
    }

    /// Adds a comment (1 to 5,000 characters, no `<` or `>`) by `username` to the order.
    pub async fn add_order_comment(
        &self,
        merchant: &MerchantContext,
        ref_no: &str,
        comment: Option<String>,
        username: &str,
    ) -> Result<()> {
        let order = self.order(merchant, ref_no).await?;
        let comment = crate::kernel::fields::required("sale_comment", comment, 5000)?;
        if comment.contains(['<', '>']) {
            return Err(Error::invalid("sale_comment", "may not hold < or >"));
        }
        let comment = OrderComment { comment, username: username.to_owned(), created_at: self.now() };
        Ok(self.store().add_order_comment(merchant.code(), &order.ref_no, &comment).await?)
    }

    /// The order and the renewal and upgrade orders of the subscriptions it created, oldest first.
    pub async fn order_with_renewals(&self, merchant: &MerchantContext, ref_no: &str) -> Result<Vec<Order>> {
        let order = self.order(merchant, ref_no).await?;
        let mut later = Vec::new();
        for subscription in
            order.subscriptions.iter().filter(|subscription| subscription.order_ref_no == order.ref_no)
        {
            for renewal in self.store().renewals(merchant.code(), &subscription.reference).await? {
                if let Some(renewal) = self.find_order(merchant.code(), &renewal.ref_no).await? {
                    later.push(renewal);
                }
            }
        }
        later.sort_by(|a, b| a.placed_at.cmp(&b.placed_at).then_with(|| a.ref_no.cmp(&b.ref_no)));
        let mut orders = vec![order];
        orders.extend(later);
        Ok(orders)
    }
}
