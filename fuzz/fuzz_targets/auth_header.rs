#![no_main]
//! The `X-Avangate-Authentication` header parser on arbitrary text.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|value: &str| {
    let _ = tco_rest::auth::parse_header(value);
});
