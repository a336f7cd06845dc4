//! The orders' operations: `placeOrder` (and the `place` that renewals and the cart use too),
//! `getOrder`, `isValidOrderReference`, the order search, and loading orders from a data file.

use crate::catalog::{PriceOptionGroup, Product};
use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::kernel::paging::Page;
use crate::merchant::MerchantContext;
use crate::orders::input::{OrderInput, OrderSearchInput};
use crate::orders::model::{Order, RefNo};
use crate::orders::{Placement, validation};

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
