//! A subscription as an LCN: the documented parameters in their order (round3-vendor-facts.md
//! §2), then the ones the vendor's table did not show legibly, named as the gateway's guess.

use tco_core::{Address, DueEvent, Origin, SubscriptionRecord};

use crate::ipn::{DATE, licence_expiration};
use crate::{Fields, country_name};

pub(crate) fn fields<'a>(record: &SubscriptionRecord, event: &DueEvent) -> Fields<'a> {
    let subscription = &record.subscription;
    let (end_user, external, test, currency): (&Address, Option<&str>, bool, &str) = match &record.origin {
        Origin::Order(order) => {
            (&order.billing, order.external_customer_reference.as_deref(), order.test, &order.currency)
        }
        Origin::Import(import) => {
            (&import.end_user, import.external_customer_reference.as_deref(), import.test, &import.currency)
        }
    };
    let address = [end_user.address1.as_str(), end_user.address2.as_deref().unwrap_or_default()]
        .iter()
        .filter(|line| !line.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = Fields::new(None);
    out.one("FIRST_NAME", &end_user.first_name);
    out.one("LAST_NAME", &end_user.last_name);
    out.one("COMPANY", end_user.company.clone().unwrap_or_default());
    out.one("EMAIL", &end_user.email);
    out.one("PHONE", end_user.phone.clone().unwrap_or_default());
    out.one("FAX", "");
    out.one("COUNTRY", country_name(&end_user.country_code));
    out.one("STATE", end_user.state.clone().unwrap_or_default());
    out.one("CITY", &end_user.city);
    out.one("ZIP", &end_user.zip);
    out.one("ADDRESS", address);
    out.one("LICENSE_CODE", &subscription.reference);
    out.one("EXPIRATION_DATE", licence_expiration(subscription.expiration_date));
    out.one("DATE_UPDATED", event.due_at.format(DATE).to_string());
    out.one("AVANGATE_CUSTOMER_REFERENCE", subscription.customer_reference.to_string());
    out.one("EXTERNAL_CUSTOMER_REFERENCE", external.unwrap_or_default());
    out.one("TEST", if test { "1" } else { "0" });
    // What the clock causes, the system changed; the rest came through the merchant's API calls.
    out.one("CHANGED_BY", if event.scheduled_on.is_some() { "SYSTEM" } else { "VENDOR" });
    out.one("LICENSE_TYPE", if subscription.trial { "TRIAL" } else { "REGULAR" });
    out.one("DISABLED", if subscription.enabled { "0" } else { "1" });
    out.one("STATUS", status(&event.event, subscription.enabled));
    out.one("RECURRING", if subscription.recurring_enabled { "1" } else { "0" });
    out.one("LICENSE_PRODUCT", &subscription.product_code);
    out.one("PRODUCT_NAME", &subscription.product_name);
    out.one("DISPATCH_REASON", &event.event);
    out.one("CURRENCY", currency);
    out
}

/// The status an LCN reports: the one its reason names (a change to a past-due or expired
/// subscription is sent with that reason), else enabled or not.
fn status(reason: &str, enabled: bool) -> &'static str {
    match reason {
        "LICENCE_PASTDUE" => "PASTDUE",
        "LICENCE_EXPIRATION" => "EXPIRED",
        _ if enabled => "ACTIVE",
        _ => "DISABLED",
    }
}
