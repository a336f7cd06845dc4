//! `docs/operations.md`: every operation × protocol — its JSON-RPC method and SOAP operation with
//! the positional parameters, its REST routes — and the error codes it can answer with,
//! generated from the registry. The choices made where the vendor's shape is not documented are
//! in each operation's description.

use std::fmt::Write;

use crate::operation::Descriptor;

/// The Markdown document.
/// The families operations are grouped in, in the order they are shown.
pub const FAMILIES: &[&str] = &[
    "Sessions",
    "Customers",
    "Catalog",
    "Orders",
    "Subscriptions",
    "Campaigns",
    "Shipping",
    "Channel Manager",
];

/// An operation's family: by its first REST route's resource, else by its name.
pub fn family(descriptor: &Descriptor) -> &'static str {
    let resource = descriptor
        .rest
        .first()
        .and_then(|route| route.path.trim_start_matches('/').split('/').next())
        .unwrap_or_default();
    match resource {
        "customers" => return "Customers",
        "products" | "priceoptions" | "productgroups" | "currencies" => return "Catalog",
        "orders" | "paymentmethods" => return "Orders",
        "subscriptions" => return "Subscriptions",
        "promotions" | "upsell" | "crosssells" => return "Campaigns",
        "shippingmethods" | "shippingprice" => return "Shipping",
        "channelmanager" => return "Channel Manager",
        _ => {}
    }
    let name = descriptor.name.to_ascii_lowercase();
    let has = |part: &str| name.contains(part);
    if name == "login" {
        "Sessions"
    } else if has("subscription") || has("upgradeoptions") {
        "Subscriptions"
    } else if has("partner") || has("pricinglist") {
        "Channel Manager"
    } else if has("customer") || has("signon") || has("ssotoken") {
        "Customers"
    } else if has("order") || has("refund") {
        "Orders"
    } else if has("promotion") || has("upsell") || has("crosssell") {
        "Campaigns"
    } else if has("shipping") {
        "Shipping"
    } else {
        "Catalog"
    }
}

/// How many operations each family has, in [`FAMILIES`] order.
pub fn family_counts(descriptors: &[Descriptor]) -> Vec<(&'static str, usize)> {
    FAMILIES
        .iter()
        .map(|family| {
            (*family, descriptors.iter().filter(|operation| self::family(operation) == *family).count())
        })
        .collect()
}

pub fn operations_markdown(descriptors: &[Descriptor]) -> String {
    let mut markdown = String::from(
        "# Operations\n\n\
         Generated from the operation registry (`crates/tco-api`) by the `contracts` test; do not edit.\n\
         Every operation is one JSON-RPC method and one SOAP operation of the same name (matched in any case),\n\
         with the same positional parameters, session id first; REST routes are under `/rest/6.0` (trailing\n\
         slash optional). Besides the codes listed, a call can answer `AUTHENTICATION_ERROR` (REST's signature,\n\
         `login`), `INVALID_SESSION` and `SESSION_EXPIRED` (JSON-RPC, SOAP), `MALFORMED_REQUEST` and\n\
         `SERVICE_UNAVAILABLE`. The codes are in [errors.md](errors.md); the contracts are the WSDL\n\
         (`/soap/6.0/?wsdl`), [openapi.json](openapi.json) (`/rest/6.0/openapi.json`) and\n\
         [openrpc.json](openrpc.json) (`/rpc/6.0/openrpc.json`, `rpc.discover`).\n\n",
    );
    let counts: Vec<String> =
        family_counts(descriptors).iter().map(|(family, count)| format!("{family} {count}")).collect();
    let _ = writeln!(markdown, "{} operations: {}.\n", descriptors.len(), counts.join(", "));
    markdown.push_str("| Family | Operation | JSON-RPC method and SOAP operation | REST | Errors |\n|---|---|---|---|---|\n");
    let mut ordered: Vec<&Descriptor> = descriptors.iter().collect();
    ordered.sort_by_key(|operation| FAMILIES.iter().position(|family| *family == self::family(operation)));
    for operation in ordered {
        let parameters: Vec<&str> = operation.params.fields.iter().map(|field| field.name).collect();
        let positional = if operation.positional {
            format!("`{}({})`", operation.name, parameters.join(", "))
        } else {
            "— (REST only, as on the vendor's API)".to_owned()
        };
        let routes: Vec<String> = operation
            .rest
            .iter()
            .map(|route| {
                let condition = route.query.map(|query| format!("?{query}=")).unwrap_or_default();
                format!("`{} {}/{condition}`", route.method.as_str(), route.path)
            })
            .collect();
        let routes = if routes.is_empty() { "—".to_owned() } else { routes.join("<br>") };
        let errors: Vec<String> = operation.errors.iter().map(|code| format!("`{code}`")).collect();
        let _ = writeln!(
            markdown,
            "| {} | `{}` | {positional} | {routes} | {} |",
            family(operation),
            operation.name,
            errors.join(" ")
        );
    }
    markdown.push_str("\n## What each does\n");
    for operation in descriptors {
        let _ = write!(markdown, "\n### `{}`\n\n{}\n", operation.name, operation.doc.trim());
        for route in operation.rest.iter().filter(|route| !route.parameters.is_empty()) {
            let _ =
                write!(markdown, "\nREST `{} {}/` query parameters:\n\n", route.method.as_str(), route.path);
            for (name, meaning) in route.parameters {
                let _ = writeln!(markdown, "- `{name}`: {meaning}");
            }
        }
    }
    markdown
}
