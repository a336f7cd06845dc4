#![no_main]
//! Customer validation on arbitrary field values (fields separated by 0x1F in the input).

use libfuzzer_sys::fuzz_target;
use tco_core::{CreditInput, CustomerInput, validate_customer};

fuzz_target!(|data: &str| {
    let mut fields = data.split('\u{1f}').map(|field| (!field.is_empty()).then(|| field.to_owned()));
    let mut next = || fields.next().flatten();
    let input = CustomerInput {
        avangate_reference: next().and_then(|value| value.parse().ok()),
        external_reference: next(),
        first_name: next(),
        last_name: next(),
        company: next(),
        fiscal_code: next(),
        address1: next(),
        address2: next(),
        city: next(),
        state: next(),
        zip: next(),
        country_code: next(),
        phone: next(),
        fax: next(),
        email: next(),
        language: next(),
        credit: Some(CreditInput {
            limit: next().and_then(|value| value.parse().ok()),
            remaining: next().and_then(|value| value.parse().ok()),
            currency: next(),
        }),
    };
    let _ = validate_customer(input);
});
