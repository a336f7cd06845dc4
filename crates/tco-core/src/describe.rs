//! Calls' arguments in protocol-neutral form for the journal: the vendor's argument names and
//! the values as given (empty ones left out), tokens redacted.

use crate::customer::{CustomerInput, CustomerLookup};
use crate::journal::REDACTED;
use crate::search::SearchInput;
use crate::sso::SignOnRequest;

type Arguments = Vec<(&'static str, String)>;

fn push(arguments: &mut Arguments, name: &'static str, value: Option<&str>) {
    if let Some(value) = value.filter(|value| !value.is_empty()) {
        arguments.push((name, value.to_owned()));
    }
}

pub(crate) fn lookup(arguments: &mut Arguments, lookup: &CustomerLookup) {
    match lookup {
        CustomerLookup::Internal(reference) => {
            arguments.push(("AvangateCustomerReference", reference.to_string()))
        }
        CustomerLookup::External(external) => arguments.push(("ExternalCustomerReference", external.clone())),
        CustomerLookup::Both(reference, external) => {
            arguments.push(("AvangateCustomerReference", reference.to_string()));
            arguments.push(("ExternalCustomerReference", external.clone()));
        }
        // Named as the core tries it first, so REST's path reads like the other protocols' calls.
        CustomerLookup::InternalOrExternal(reference) if reference.bytes().all(|b| b.is_ascii_digit()) => {
            arguments.push(("AvangateCustomerReference", reference.clone()));
        }
        CustomerLookup::InternalOrExternal(reference) => {
            arguments.push(("ExternalCustomerReference", reference.clone()))
        }
    }
}

/// A customer's fields; `named_by` (REST's path) or else the reference inside the customer
/// names the customer first.
pub(crate) fn customer(input: &CustomerInput, named_by: Option<&CustomerLookup>) -> Arguments {
    let mut arguments = Vec::new();
    match (named_by, input.avangate_reference.filter(|reference| *reference != 0)) {
        (Some(target), _) => lookup(&mut arguments, target),
        (None, Some(reference)) => arguments.push(("AvangateCustomerReference", reference.to_string())),
        (None, None) => {}
    }
    for (name, value) in [
        ("ExternalCustomerReference", &input.external_reference),
        ("FirstName", &input.first_name),
        ("LastName", &input.last_name),
        ("Company", &input.company),
        ("FiscalCode", &input.fiscal_code),
        ("Address1", &input.address1),
        ("Address2", &input.address2),
        ("City", &input.city),
        ("State", &input.state),
        ("Zip", &input.zip),
        ("CountryCode", &input.country_code),
        ("Phone", &input.phone),
        ("Fax", &input.fax),
        ("Email", &input.email),
        ("Language", &input.language),
    ] {
        push(&mut arguments, name, value.as_deref());
    }
    if let Some(credit) = &input.credit {
        push(&mut arguments, "Credit.Limit", credit.limit.map(|limit| limit.to_string()).as_deref());
        push(&mut arguments, "Credit.Remaining", credit.remaining.map(|rest| rest.to_string()).as_deref());
        push(&mut arguments, "Credit.Currency", credit.currency.as_deref());
    }
    arguments
}

pub(crate) fn get(target: &CustomerLookup, include_payment_data: bool) -> Arguments {
    let mut arguments = Vec::new();
    lookup(&mut arguments, target);
    arguments.push(("includePaymentData", include_payment_data.to_string()));
    arguments
}

pub(crate) fn update(
    target: Option<&CustomerLookup>,
    input: &CustomerInput,
    end_user_update: bool,
) -> Arguments {
    let mut arguments = customer(input, target);
    arguments.push(("UpdateEndUserSubscriptions", end_user_update.to_string()));
    arguments
}

pub(crate) fn search(input: &SearchInput) -> Arguments {
    let mut arguments = Vec::new();
    push(&mut arguments, "Email", input.email.as_deref());
    push(&mut arguments, "Phone", input.phone.as_deref());
    push(&mut arguments, "CountryCode", input.country_code.as_deref());
    push(&mut arguments, "Language", input.language.as_deref());
    push(&mut arguments, "Trial", input.trial.map(|trial| trial.to_string()).as_deref());
    push(&mut arguments, "Status", input.status.as_deref());
    push(&mut arguments, "Page", input.page.map(|page| page.to_string()).as_deref());
    push(&mut arguments, "Limit", input.limit.map(|limit| limit.to_string()).as_deref());
    arguments
}

pub(crate) fn sign_on(target: &CustomerLookup, request: &SignOnRequest) -> Arguments {
    let mut arguments = Vec::new();
    lookup(&mut arguments, target);
    push(&mut arguments, "Url", request.url.as_deref());
    push(&mut arguments, "ValidityTime", request.validity_secs.map(|secs| secs.to_string()).as_deref());
    push(&mut arguments, "ValidationIp", request.validation_ip.as_deref());
    arguments
}

pub(crate) fn delete_card(target: &CustomerLookup) -> Arguments {
    let mut arguments = Vec::new();
    lookup(&mut arguments, target);
    arguments.push(("TransientToken", REDACTED.to_owned()));
    arguments
}
