//! Imported subscriptions (`addSubscription`): stored in `tco_subscriptions` with an empty
//! `order_ref_no` and, in `import_document`, what an order would have carried.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tco_core::{NewSubscriptionImport, Subscription, SubscriptionImport};

use crate::db::{Conn, DbError, Param};
use crate::orders::{
    AddressDocument, CUSTOMER_STATUS, CardDocument, add_card, insert_subscription, resolve_customer,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ImportDocument {
    end_user: AddressDocument,
    language: String,
    currency: String,
    price_options: Vec<String>,
    product_id: i64,
    external_subscription_reference: Option<String>,
    external_customer_reference: Option<String>,
    next_renewal_price: Option<String>,
    card: Option<CardDocument>,
    test: bool,
}

impl From<&SubscriptionImport> for ImportDocument {
    fn from(import: &SubscriptionImport) -> Self {
        ImportDocument {
            end_user: (&import.end_user).into(),
            language: import.language.clone(),
            currency: import.currency.clone(),
            price_options: import.price_options.clone(),
            product_id: import.product_id,
            external_subscription_reference: import.external_subscription_reference.clone(),
            external_customer_reference: import.external_customer_reference.clone(),
            next_renewal_price: import.next_renewal_price.map(|price| price.to_string()),
            card: import.card.as_ref().map(CardDocument::from),
            test: import.test,
        }
    }
}

/// What a stored import carries.
pub(crate) fn import(text: &str) -> Result<SubscriptionImport, DbError> {
    let document: ImportDocument =
        serde_json::from_str(text).map_err(|error| DbError::Decode(format!("a stored import: {error}")))?;
    let next_renewal_price = match document.next_renewal_price {
        Some(text) => Some(
            text.parse::<Decimal>()
                .map_err(|_| DbError::Decode("a stored import's renewal price is not valid".into()))?,
        ),
        None => None,
    };
    Ok(SubscriptionImport {
        end_user: document.end_user.into(),
        language: document.language,
        currency: document.currency,
        price_options: document.price_options,
        product_id: document.product_id,
        external_subscription_reference: document.external_subscription_reference,
        external_customer_reference: document.external_customer_reference,
        next_renewal_price,
        card: document.card.map(CardDocument::into_model),
        test: document.test,
    })
}

/// Stores `new` (the work of one write transaction): its customer, the card, the subscription,
/// then the customer's status.
pub(crate) async fn insert_import(
    conn: &mut dyn Conn,
    merchant_code: &str,
    new: NewSubscriptionImport,
    postgres: bool,
) -> Result<Subscription, DbError> {
    let (customer, external) =
        resolve_customer(conn, merchant_code, &new.customer, new.now, postgres).await?;
    if let Some(card) = &new.card {
        add_card(conn, customer, card).await?;
    }
    let mut import = new.import;
    import.external_customer_reference = external;
    let document = serde_json::to_string(&ImportDocument::from(&import))
        .map_err(|error| DbError::Decode(error.to_string()))?;
    let subscription = Subscription { customer_reference: customer, ..new.subscription };
    insert_subscription(conn, merchant_code, &subscription, Some(document)).await?;
    conn.execute(CUSTOMER_STATUS, &[Param::Integer(customer), Param::from(new.now)]).await?;
    crate::notifications::insert_events(conn, merchant_code, &new.events, &subscription.reference).await?;
    Ok(subscription)
}
