//! The admin state browser's reads: a merchant's customers, orders, subscriptions and products
//! in the vendor's own objects, by the read operations themselves — called without a session and
//! not journaled, so browsing never shows up in the call journal it sits beside.

use serde_json::Value;
use tco_core::{Error, Gateway, MerchantContext, Result};

use crate::customers::{GetCustomerInformation, SearchCustomers};
use crate::lenient::{Place, from_json};
use crate::operation::Operation;
use crate::orders::{GetOrder, SearchOrders};
use crate::products::{GetProductByCode, SearchProducts};
use crate::subscription_details::GetSubscriptionHistory;
use crate::subscriptions::{GetSubscription, SearchSubscriptions};

macro_rules! reads {
    ($($operation:ty),* $(,)?) => {
        /// The operations the browser may run.
        pub const READS: &[&str] = &[$(<$operation>::NAME),*];

        /// Runs the read operation `name` as `merchant` with `params` (its parameters by name,
        /// the session id left out); its result as JSON text (amounts with their own digits).
        pub async fn read(gateway: &Gateway, merchant: &str, name: &str, params: &Value) -> Result<String> {
            $(
                if name == <$operation>::NAME {
                    let context = MerchantContext::admin(merchant, <$operation>::NAME);
                    let params = from_json(params, Place::root("the parameters"))?;
                    let output = <$operation>::call(gateway, &context, params).await?;
                    return crate::json(&output);
                }
            )*
            Err(Error::UnknownOperation(format!("{name} is not a read the state browser offers.")))
        }
    };
}

reads![
    SearchCustomers,
    GetCustomerInformation,
    SearchOrders,
    GetOrder,
    SearchSubscriptions,
    GetSubscription,
    GetSubscriptionHistory,
    SearchProducts,
    GetProductByCode,
];
