//! Customer validation: the vendor's required fields and formats, plus length limits so no
//! field can grow without bound. The first failure is reported, in the vendor's field order.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use super::model::{Credit, CreditInput, CustomerFields, CustomerInput};
use crate::error::{Error, Result};
use crate::kernel::fields::{country, optional, required};
use crate::kernel::iso;

const NAME_MAX: usize = 100;
const COMPANY_MAX: usize = 200;
const FISCAL_CODE_MAX: usize = 50;
const ADDRESS_MAX: usize = 255;
const CITY_MAX: usize = 100;
const STATE_MAX: usize = 100;
const ZIP_MAX: usize = 20;
const PHONE_MAX: usize = 50;
const EMAIL_MAX: usize = 254;
pub(crate) const EXTERNAL_REFERENCE_MAX: usize = 100;

/// Validates and normalises a customer for create or update: both replace every editable
/// field, so both need a complete customer.
pub fn validate_customer(input: CustomerInput) -> Result<CustomerFields> {
    let first_name = required("FirstName", input.first_name, NAME_MAX)?;
    let last_name = required("LastName", input.last_name, NAME_MAX)?;
    let address1 = required("Address1", input.address1, ADDRESS_MAX)?;
    let city = required("City", input.city, CITY_MAX)?;
    let zip = required("Zip", input.zip, ZIP_MAX)?;
    let country_code = country("CountryCode", required("CountryCode", input.country_code, 16)?)?;
    let email = email(required("Email", input.email, EMAIL_MAX)?)?;

    let external_reference = external_reference(input.external_reference)?;
    let company = optional("Company", input.company, COMPANY_MAX)?;
    let fiscal_code = optional("FiscalCode", input.fiscal_code, FISCAL_CODE_MAX)?;
    let address2 = optional("Address2", input.address2, ADDRESS_MAX)?;
    let state = optional("State", input.state, STATE_MAX)?;
    let phone = optional("Phone", input.phone, PHONE_MAX)?;
    let fax = optional("Fax", input.fax, PHONE_MAX)?;
    let language = optional("Language", input.language, 16)?.map(language).transpose()?;
    let credit = input.credit.map(credit).transpose()?.flatten();

    if fiscal_code.is_some() && company.is_none() {
        return Err(Error::FiscalCodeWithoutCompany);
    }

    Ok(CustomerFields {
        external_reference,
        first_name,
        last_name,
        company,
        fiscal_code,
        address1,
        address2,
        city,
        state,
        zip,
        country_code,
        phone,
        fax,
        email,
        language,
        credit,
    })
}

/// `ExternalCustomerReference`, unique per merchant: trimmed like every field, in Unicode NFC
/// (so a composed and a decomposed `café` are one reference), and without invisible
/// formatting characters (a zero-width space would make two references look alike).
fn external_reference(value: Option<String>) -> Result<Option<String>> {
    let field = "ExternalCustomerReference";
    let Some(value) = optional(field, value, EXTERNAL_REFERENCE_MAX)? else {
        return Ok(None);
    };
    let normalized: String = value.nfc().collect();
    if let Some(invisible) = normalized.chars().find(|c| c.general_category() == GeneralCategory::Format) {
        let code = u32::from(invisible);
        return Err(Error::invalid(
            field,
            format!("contains the invisible formatting character U+{code:04X}"),
        ));
    }
    Ok(Some(normalized))
}

/// An external reference as a lookup sends it, in the form references are stored; `None` when
/// no stored reference can be written so (too long, control or formatting characters), so the
/// lookup finds nothing without asking the store.
pub(crate) fn external_lookup_key(value: &str) -> Option<String> {
    external_reference(Some(value.to_owned())).ok().flatten()
}

fn language(value: String) -> Result<String> {
    let lowercase = value.trim().to_ascii_lowercase();
    if iso::is_language_code(&lowercase) {
        Ok(lowercase)
    } else {
        Err(Error::invalid("Language", format!("\"{value}\" is not an ISO 639-1 language code")))
    }
}

/// A pragmatic address check: one `@`, a non-empty local part of at most 64 characters, a
/// dotted domain of letters, digits and hyphens, no spaces. Enough to catch typos without
/// rejecting real addresses.
pub(crate) fn email(value: String) -> Result<String> {
    let invalid = || Error::invalid("Email", format!("\"{value}\" is not an e-mail address"));
    let Some((local, domain)) = value.split_once('@') else {
        return Err(invalid());
    };
    let local_ok = !local.is_empty()
        && local.chars().count() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.chars().any(|c| c.is_whitespace() || matches!(c, '@' | '<' | '>' | ',' | ';'));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok { Ok(value) } else { Err(invalid()) }
}

fn credit(input: CreditInput) -> Result<Option<Credit>> {
    let currency = optional("Credit.Currency", input.currency, 3)?;
    if input.limit.is_none() && input.remaining.is_none() && currency.is_none() {
        return Ok(None);
    }
    let limit = input.limit.ok_or(Error::MissingField("Credit.Limit"))?;
    let remaining = input.remaining.unwrap_or(limit);
    let currency = currency.ok_or(Error::MissingField("Credit.Currency"))?;
    if !limit.is_finite() || limit < 0.0 {
        return Err(Error::invalid("Credit.Limit", "must be a non-negative number"));
    }
    if !remaining.is_finite() || remaining < 0.0 || remaining > limit {
        return Err(Error::invalid("Credit.Remaining", "must be between 0 and Credit.Limit"));
    }
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(Error::invalid("Credit.Currency", "must be a three-letter ISO 4217 code"));
    }
    Ok(Some(Credit { limit, remaining, currency: currency.to_ascii_uppercase() }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::fields::plausible_token;

    pub(crate) fn complete() -> CustomerInput {
        CustomerInput {
            first_name: Some("John".into()),
            last_name: Some("Doe".into()),
            address1: Some("Street 1".into()),
            city: Some("Bucharest".into()),
            zip: Some("010101".into()),
            country_code: Some("RO".into()),
            email: Some("John.Doe@Example.com".into()),
            ..CustomerInput::default()
        }
    }

    #[test]
    fn a_complete_customer_is_normalised() {
        let fields = validate_customer(CustomerInput {
            language: Some("EN".into()),
            external_reference: Some("".into()),
            credit: Some(CreditInput {
                limit: Some(51.0),
                remaining: Some(21.0),
                currency: Some("eur".into()),
            }),
            ..complete()
        })
        .unwrap();
        assert_eq!(fields.country_code, "ro");
        assert_eq!(fields.language.as_deref(), Some("en"));
        assert_eq!(fields.external_reference, None);
        assert_eq!(fields.email, "John.Doe@Example.com");
        assert_eq!(fields.email_key(), "john.doe@example.com");
        assert_eq!(fields.credit.unwrap().currency, "EUR");
    }

    #[test]
    fn required_fields_are_reported_in_vendor_order() {
        for (field, clear) in [
            ("FirstName", (|c: &mut CustomerInput| c.first_name = None) as fn(&mut CustomerInput)),
            ("LastName", |c| c.last_name = Some("  ".into())),
            ("Address1", |c| c.address1 = None),
            ("City", |c| c.city = Some(String::new())),
            ("Zip", |c| c.zip = None),
            ("CountryCode", |c| c.country_code = None),
            ("Email", |c| c.email = None),
        ] {
            let mut input = complete();
            clear(&mut input);
            assert_eq!(validate_customer(input), Err(Error::MissingField(field)));
        }
    }

    #[test]
    fn formats_are_checked() {
        let cases: Vec<(CustomerInput, &str)> = vec![
            (CustomerInput { country_code: Some("XX".into()), ..complete() }, "CountryCode"),
            (CustomerInput { country_code: Some("USA".into()), ..complete() }, "CountryCode"),
            (CustomerInput { language: Some("xx".into()), ..complete() }, "Language"),
            (CustomerInput { language: Some("eng".into()), ..complete() }, "Language"),
            (CustomerInput { email: Some("no-at-sign".into()), ..complete() }, "Email"),
            (CustomerInput { email: Some("a@b".into()), ..complete() }, "Email"),
            (CustomerInput { email: Some("a b@c.com".into()), ..complete() }, "Email"),
            (CustomerInput { first_name: Some("x".repeat(101)), ..complete() }, "FirstName"),
            (CustomerInput { city: Some("Nul\0byte".into()), ..complete() }, "City"),
            (
                CustomerInput { external_reference: Some("e".repeat(101)), ..complete() },
                "ExternalCustomerReference",
            ),
        ];
        for (input, field) in cases {
            match validate_customer(input) {
                Err(Error::InvalidField { field: got, .. }) => assert_eq!(got, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn external_references_are_normalised() {
        let with = |external: &str| CustomerInput { external_reference: Some(external.into()), ..complete() };
        let composed = validate_customer(with(" caf\u{e9} ")).unwrap().external_reference;
        let decomposed = validate_customer(with("cafe\u{301}")).unwrap().external_reference;
        assert_eq!(composed.as_deref(), Some("caf\u{e9}"));
        assert_eq!(composed, decomposed);
        for invisible in ["caf\u{e9}\u{200b}", "\u{feff}x", "a\u{2060}b", "soft\u{ad}hyphen"] {
            match validate_customer(with(invisible)) {
                Err(Error::InvalidField { field: "ExternalCustomerReference", .. }) => {}
                other => panic!("{invisible:?}: {other:?}"),
            }
        }
        assert_eq!(external_lookup_key("cafe\u{301} ").as_deref(), Some("caf\u{e9}"));
        assert_eq!(external_lookup_key("ext\0x"), None);
        assert_eq!(external_lookup_key(&"e".repeat(101)), None);
        assert!(!plausible_token("tok\0") && !plausible_token("") && plausible_token("ab12"));
    }

    #[test]
    fn fiscal_code_requires_company() {
        let input = CustomerInput { fiscal_code: Some("RO123".into()), ..complete() };
        assert_eq!(validate_customer(input), Err(Error::FiscalCodeWithoutCompany));
        let input =
            CustomerInput { fiscal_code: Some("RO123".into()), company: Some("ACME".into()), ..complete() };
        assert!(validate_customer(input).is_ok());
    }

    #[test]
    fn credit_rules() {
        let with = |limit, remaining, currency: Option<&str>| CustomerInput {
            credit: Some(CreditInput { limit, remaining, currency: currency.map(Into::into) }),
            ..complete()
        };
        assert_eq!(validate_customer(with(None, None, None)).unwrap().credit, None);
        assert_eq!(
            validate_customer(with(Some(10.0), None, Some("USD"))).unwrap().credit.unwrap().remaining,
            10.0
        );
        assert!(validate_customer(with(Some(10.0), Some(11.0), Some("USD"))).is_err());
        assert!(validate_customer(with(Some(-1.0), None, Some("USD"))).is_err());
        assert!(validate_customer(with(Some(f64::NAN), None, Some("USD"))).is_err());
        assert!(validate_customer(with(Some(1.0), None, Some("U$D"))).is_err());
        assert_eq!(
            validate_customer(with(Some(1.0), None, None)),
            Err(Error::MissingField("Credit.Currency"))
        );
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::validate_customer;
        use crate::customers::{CreditInput, CustomerInput};

        fn text() -> impl Strategy<Value = Option<String>> {
            prop::option::of(prop_oneof![".{0,300}", "[A-Za-z]{2}", "[a-z]{1,8}@[a-z]{1,8}\\.[a-z]{2,3}"])
        }

        prop_compose! {
            fn input()(
                fields in prop::collection::vec(text(), 15),
                reference in any::<Option<i64>>(),
                credit in prop::option::of((any::<Option<f64>>(), any::<Option<f64>>(), text())),
            ) -> CustomerInput {
                let mut fields = fields.into_iter();
                let mut next = || fields.next().flatten();
                CustomerInput {
                    avangate_reference: reference,
                    external_reference: next(), first_name: next(), last_name: next(), company: next(),
                    fiscal_code: next(), address1: next(), address2: next(), city: next(), state: next(),
                    zip: next(), country_code: next(), phone: next(), fax: next(), email: next(), language: next(),
                    credit: credit.map(|(limit, remaining, currency)| CreditInput { limit, remaining, currency }),
                }
            }
        }

        proptest! {
            #[test]
            fn validation_never_panics_and_normalises_what_it_accepts(input in input()) {
                if let Ok(fields) = validate_customer(input) {
                    prop_assert_eq!(fields.country_code.len(), 2);
                    prop_assert_eq!(fields.country_code.clone(), fields.country_code.to_ascii_lowercase());
                    prop_assert!(fields.email.contains('@'));
                    prop_assert!(fields.fiscal_code.is_none() || fields.company.is_some());
                    prop_assert!(fields.first_name.chars().count() <= 100);
                }
            }
        }
    }
}
