//! Customer domain types. Adapters fill a [`CustomerInput`] from their wire format; the core
//! validates it into [`CustomerFields`]; stores keep [`Customer`]s.

/// `AvangateCustomerReference`: assigned by the gateway, unique across all merchants.
pub type CustomerReference = i64;

/// What a client sends to create or update a customer, before validation. `None` and empty
/// strings both mean "not given". Read-only fields of the vendor's object (`Enabled`,
/// `Trial`, `ExistingCards`) have no place here: the gateway derives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerInput {
    /// Only meaningful for update over SOAP and JSON-RPC, where the customer object names
    /// the customer it updates.
    pub avangate_reference: Option<CustomerReference>,
    pub external_reference: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub fiscal_code: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub country_code: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub language: Option<String>,
    pub credit: Option<CreditInput>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreditInput {
    pub limit: Option<f64>,
    pub remaining: Option<f64>,
    pub currency: Option<String>,
}

/// The merchant-editable fields of a customer, validated and normalised (country code
/// lowercase, language lowercase, currency uppercase, empty optionals as `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerFields {
    pub external_reference: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    pub fiscal_code: Option<String>,
    pub address1: String,
    pub address2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub zip: String,
    pub country_code: String,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: String,
    pub language: Option<String>,
    pub credit: Option<Credit>,
}

impl CustomerFields {
    /// The key `searchCustomers` matches e-mail on: the vendor documents a strict,
    /// case-insensitive match.
    pub fn email_key(&self) -> String {
        email_key(&self.email)
    }
}

pub fn email_key(email: &str) -> String {
    email.to_lowercase()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Credit {
    pub limit: f64,
    pub remaining: f64,
    pub currency: String,
}

/// A customer as stored and returned.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub reference: CustomerReference,
    pub fields: CustomerFields,
    /// Active: the customer has an active or past-due subscription. The gateway has no
    /// subscriptions, so only fixtures can make a customer active.
    pub enabled: bool,
    /// All the customer's active subscriptions are trials.
    pub trial: bool,
    /// Empty unless the operation returns payment data.
    pub cards: Vec<Card>,
}

/// A stored payment card (the vendor's `ExistingCards` item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub card_type: String,
    pub last_digits: String,
    pub expiration_month: String,
    pub expiration_year: String,
    pub name_on_card: String,
    /// The token for the `EXISTING_PAYMENT_DATA` flow and for deleting the card. The core
    /// fills it only when the customer is read by single sign-on token, as the vendor does.
    pub transient_token: Option<String>,
}

/// How an operation names a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerLookup {
    Internal(CustomerReference),
    External(String),
    /// Both given: they must name the same customer.
    Both(CustomerReference, String),
    /// A REST path segment that may be either: an all-digit value is tried as the internal
    /// reference first, then as an external one.
    InternalOrExternal(String),
}

impl CustomerLookup {
    /// From the positional arguments of SOAP and JSON-RPC, where `0`, `""` and `null` mean
    /// "not given" (the vendor's samples default to `0` and `''`).
    pub fn from_references(
        internal: Option<CustomerReference>,
        external: Option<&str>,
    ) -> Option<CustomerLookup> {
        let internal = internal.filter(|reference| *reference != 0);
        let external = external.filter(|reference| !reference.is_empty()).map(str::to_owned);
        match (internal, external) {
            (Some(internal), Some(external)) => Some(CustomerLookup::Both(internal, external)),
            (Some(internal), None) => Some(CustomerLookup::Internal(internal)),
            (None, Some(external)) => Some(CustomerLookup::External(external)),
            (None, None) => None,
        }
    }
}

impl CustomerLookup {
    /// `getSingleSignOnInCart`'s customer on SOAP and JSON-RPC: the reference, of the kind
    /// `customer_type` names — `AvangateCustomerReference` (or the rebranded
    /// `2CheckoutCustomerReference` some vendor pages use) or `ExternalCustomerReference`, in any
    /// case. Without a type, an all-digit reference is tried as internal first.
    pub fn for_sign_on(
        reference: Option<String>,
        customer_type: Option<&str>,
    ) -> crate::Result<CustomerLookup> {
        use crate::Error;
        let reference = reference.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
        let reference = reference.ok_or(Error::MissingField("CustomerReference"))?;
        match customer_type.unwrap_or_default().trim().to_ascii_lowercase().as_str() {
            "externalcustomerreference" => Ok(CustomerLookup::External(reference)),
            "avangatecustomerreference" | "2checkoutcustomerreference" => reference
                .parse()
                .map(CustomerLookup::Internal)
                .map_err(|_| Error::invalid("CustomerReference", "must be an integer")),
            "" => Ok(CustomerLookup::InternalOrExternal(reference)),
            _ => Err(Error::invalid(
                "customerType",
                "must be AvangateCustomerReference or ExternalCustomerReference",
            )),
        }
    }
}

/// A customer record loaded from a fixture file: the editable fields plus what the gateway
/// normally derives.
#[derive(Debug, Clone, PartialEq)]
pub struct FixtureCustomer {
    pub input: CustomerInput,
    pub enabled: bool,
    pub trial: bool,
    pub cards: Vec<Card>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_on_customer_types() {
        let lookup =
            |reference: &str, kind: Option<&str>| CustomerLookup::for_sign_on(Some(reference.into()), kind);
        assert_eq!(lookup("7", Some("AvangateCustomerReference")), Ok(CustomerLookup::Internal(7)));
        assert_eq!(lookup(" 7 ", Some("2checkoutcustomerreference")), Ok(CustomerLookup::Internal(7)));
        assert_eq!(lookup("E", Some("ExternalCustomerReference")), Ok(CustomerLookup::External("E".into())));
        assert_eq!(lookup("7", None), Ok(CustomerLookup::InternalOrExternal("7".into())));
        assert!(lookup("E", Some("AvangateCustomerReference")).is_err());
        assert!(lookup("7", Some("Email")).is_err());
        assert_eq!(
            CustomerLookup::for_sign_on(Some(" ".into()), None),
            Err(crate::Error::MissingField("CustomerReference"))
        );
    }

    #[test]
    fn zero_and_empty_references_mean_not_given() {
        assert_eq!(CustomerLookup::from_references(Some(0), Some("")), None);
        assert_eq!(CustomerLookup::from_references(None, None), None);
        assert_eq!(CustomerLookup::from_references(Some(7), Some("")), Some(CustomerLookup::Internal(7)));
        assert_eq!(
            CustomerLookup::from_references(Some(0), Some("ext")),
            Some(CustomerLookup::External("ext".into()))
        );
        assert_eq!(
            CustomerLookup::from_references(Some(7), Some("ext")),
            Some(CustomerLookup::Both(7, "ext".into()))
        );
    }
}
