//! Customers: the vendor's Customer object and the customer operations, with single sign-on
//! and stored cards.

use tco_core::{
    Card, Credit, CreditInput, Customer as CoreCustomer, CustomerInput, CustomerLookup, Error, ErrorCode,
    Gateway, MerchantContext, Result, SearchInput, SignOnRequest,
};

use crate::lenient::Text;
use crate::operation::{Method, Operation, RestRequest, Route};
use crate::page::Page;
use crate::shape::{Describe, Shape};
use crate::{wire_object, wire_params};

/// `AvangateCustomerReference`: an integer, which SOAP carries as a string, as the vendor's SOAP
/// answers do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Reference(pub i64);

impl Describe for Reference {
    const SHAPE: Shape = Shape::Reference;
}

wire_object! {
    /// The vendor's Customer object. `AvangateCustomerReference` names the customer in an update
    /// over SOAP and JSON-RPC; `ExistingCards`, `Enabled` and `Trial` are read-only.
    pub struct Customer as "Customer" {
        #[serde(alias = "CustomerReference")]
        AvangateCustomerReference: Option<Reference>,
        ExternalCustomerReference: Option<String>,
        FirstName: Option<String>,
        LastName: Option<String>,
        Company: Option<String>,
        FiscalCode: Option<String>,
        Address1: Option<String>,
        Address2: Option<String>,
        City: Option<String>,
        State: Option<String>,
        Zip: Option<String>,
        CountryCode: Option<String>,
        Phone: Option<String>,
        Fax: Option<String>,
        Email: Option<String>,
        ExistingCards: Vec<ExistingCard>,
        Enabled: Option<bool>,
        Trial: Option<bool>,
        Language: Option<String>,
        Credit: Option<CustomerCredit>,
    }
}

wire_object! {
    /// A stored card; `TransientToken` is filled only by `getCustomerInformationBySSOToken`.
    pub struct ExistingCard as "ExistingCard" {
        CardType: Option<String>,
        LastDigits: Option<String>,
        ExpirationMonth: Option<String>,
        ExpirationYear: Option<String>,
        NameOnCard: Option<String>,
        TransientToken: Option<TransientToken>,
    }
}

wire_object! {
    /// The token for the `EXISTING_PAYMENT_DATA` flow and for deleting the card.
    pub struct TransientToken as "TransientToken" {
        Token: Option<String>,
    }
}

wire_object! {
    /// Credit limit, remaining credit and currency (ISO 4217).
    pub struct CustomerCredit as "CustomerCredit" {
        Limit: Option<f64>,
        Remaining: Option<f64>,
        Currency: Option<String>,
    }
}

wire_object! {
    /// `searchCustomers` filters; `Status` is ACTIVE or INACTIVE; `Email` matches exactly,
    /// ignoring case.
    pub struct CustomerSearchOptions as "CustomerSearchOptions" {
        Email: Option<String>,
        Phone: Option<String>,
        CountryCode: Option<String>,
        Language: Option<String>,
        Trial: Option<bool>,
        Status: Option<String>,
        Pagination: Option<PaginationOptions>,
    }
}

wire_object! {
    /// `Page` from 1; `Limit` from 1 to 200 (default 10).
    pub struct PaginationOptions as "PaginationOptions" {
        Page: Option<i64>,
        Limit: Option<i64>,
    }
}

crate::paged!(Customer as "CustomerSearchResult", "One page of customers ordered by reference.");

wire_object! {
    /// The answer to deleting a stored card over REST.
    pub struct CardDeletion as "CardDeletion" {
        Deleted: bool,
    }
}

impl From<CoreCustomer> for Customer {
    fn from(customer: CoreCustomer) -> Self {
        let fields = customer.fields;
        Customer {
            AvangateCustomerReference: Some(Reference(customer.reference)),
            ExternalCustomerReference: fields.external_reference,
            FirstName: Some(fields.first_name),
            LastName: Some(fields.last_name),
            Company: fields.company,
            FiscalCode: fields.fiscal_code,
            Address1: Some(fields.address1),
            Address2: fields.address2,
            City: Some(fields.city),
            State: fields.state,
            Zip: Some(fields.zip),
            CountryCode: Some(fields.country_code),
            Phone: fields.phone,
            Fax: fields.fax,
            Email: Some(fields.email),
            ExistingCards: customer.cards.into_iter().map(ExistingCard::from).collect(),
            Enabled: Some(customer.enabled),
            Trial: Some(customer.trial),
            Language: fields.language,
            Credit: fields.credit.map(CustomerCredit::from),
        }
    }
}

impl From<Card> for ExistingCard {
    fn from(card: Card) -> Self {
        ExistingCard {
            CardType: Some(card.card_type),
            LastDigits: Some(card.last_digits),
            ExpirationMonth: Some(card.expiration_month),
            ExpirationYear: Some(card.expiration_year),
            NameOnCard: Some(card.name_on_card),
            TransientToken: card.transient_token.map(|token| TransientToken { Token: Some(token) }),
        }
    }
}

impl From<Credit> for CustomerCredit {
    fn from(credit: Credit) -> Self {
        CustomerCredit {
            Limit: Some(credit.limit),
            Remaining: Some(credit.remaining),
            Currency: Some(credit.currency),
        }
    }
}

impl From<Customer> for CustomerInput {
    fn from(customer: Customer) -> Self {
        CustomerInput {
            avangate_reference: customer.AvangateCustomerReference.map(|reference| reference.0),
            external_reference: customer.ExternalCustomerReference,
            first_name: customer.FirstName,
            last_name: customer.LastName,
            company: customer.Company,
            fiscal_code: customer.FiscalCode,
            address1: customer.Address1,
            address2: customer.Address2,
            city: customer.City,
            state: customer.State,
            zip: customer.Zip,
            country_code: customer.CountryCode,
            phone: customer.Phone,
            fax: customer.Fax,
            email: customer.Email,
            language: customer.Language,
            credit: customer.Credit.map(|credit| CreditInput {
                limit: credit.Limit,
                remaining: credit.Remaining,
                currency: credit.Currency,
            }),
        }
    }
}

impl From<CustomerSearchOptions> for SearchInput {
    fn from(options: CustomerSearchOptions) -> Self {
        let pagination = options.Pagination.unwrap_or_default();
        SearchInput {
            email: options.Email,
            phone: options.Phone,
            country_code: options.CountryCode,
            language: options.Language,
            trial: options.Trial,
            status: options.Status,
            page: pagination.Page,
            limit: pagination.Limit,
        }
    }
}

/// A REST path segment naming a customer: an all-digit value is tried as the internal
/// reference first, then as an external one. The journal names it as the core tries it first.
fn either(reference: &str) -> (Option<i64>, Option<String>) {
    match reference.parse::<i64>() {
        Ok(number) if reference.bytes().all(|byte| byte.is_ascii_digit()) => (Some(number), None),
        _ => (None, Some(reference.to_owned())),
    }
}

fn path_reference(request: &RestRequest<'_>) -> String {
    request.path("CReference").unwrap_or_default().to_owned()
}

const CUSTOMER_ERRORS: &[ErrorCode] = &[
    ErrorCode::MissingRequiredField,
    ErrorCode::InvalidField,
    ErrorCode::FiscalCodeWithoutCompany,
    ErrorCode::DuplicateExternalReference,
];

wire_params! {
    pub struct CreateCustomerParams as "createCustomer" {
        Customer: Option<Customer> = body,
    }
}

/// `createCustomer`.
#[derive(Debug)]
pub struct CreateCustomer;

impl Operation for CreateCustomer {
    const NAME: &'static str = "createCustomer";
    const DOC: &'static str = "Creates a customer and returns its new AvangateCustomerReference.";
    const ERRORS: &'static [ErrorCode] = CUSTOMER_ERRORS;
    const REST: &'static [Route] = &[Route::new(Method::Post, "/customers").body(&Customer::OBJECT)];
    type Params = CreateCustomerParams;
    type Output = i64;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<i64> {
        let customer = params.Customer.ok_or(Error::MissingField("Customer"))?;
        gateway.create_customer(merchant, customer.into()).await
    }

    fn summary(reference: &i64) -> String {
        reference.to_string()
    }
}

wire_params! {
    pub struct GetCustomerInformationParams as "getCustomerInformation" {
        AvangateCustomerReference: Option<i64>,
        ExternalCustomerReference: Option<Text>,
    }
    rest {
        /// REST's `{CReference}`: internal or external.
        either: Option<String>,
        include_payment_data: bool,
    }
}

/// `getCustomerInformation`.
#[derive(Debug)]
pub struct GetCustomerInformation;

impl Operation for GetCustomerInformation {
    const NAME: &'static str = "getCustomerInformation";
    const DOC: &'static str = "The customer with its stored cards (without their tokens). 0, empty or nil means not \
         given; when both references are given they must name the same customer.";
    const ERRORS: &'static [ErrorCode] =
        &[ErrorCode::MissingRequiredField, ErrorCode::ReferenceMismatch, ErrorCode::NotFoundCustomer];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/customers/{CReference}")
        .parameters(&[("includePaymentData", "true to include the stored cards (without their tokens)")])];
    type Params = GetCustomerInformationParams;
    type Output = Customer;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<Customer> {
        let (lookup, include_payment_data) = match params.either {
            Some(reference) => (CustomerLookup::InternalOrExternal(reference), params.include_payment_data),
            None => {
                let internal = params.AvangateCustomerReference;
                let lookup = CustomerLookup::from_references(
                    internal,
                    params.ExternalCustomerReference.as_ref().map(|t| t.0.as_str()),
                )
                .ok_or(Error::MissingField("AvangateCustomerReference"))?;
                (lookup, true)
            }
        };
        Ok(gateway.get_customer(merchant, &lookup, include_payment_data).await?.into())
    }

    fn bind(request: &RestRequest<'_>) -> Result<Self::Params> {
        let reference = path_reference(request);
        let (internal, external) = either(&reference);
        Ok(GetCustomerInformationParams {
            AvangateCustomerReference: internal,
            ExternalCustomerReference: external.map(Text),
            either: Some(reference),
            include_payment_data: request.query_value("includePaymentData")?.unwrap_or(false),
            ..Default::default()
        })
    }

    fn summary(customer: &Customer) -> String {
        reference_summary(customer)
    }
}

fn reference_summary(customer: &Customer) -> String {
    customer.AvangateCustomerReference.map(|reference| reference.0.to_string()).unwrap_or_default()
}

wire_params! {
    pub struct UpdateCustomerInformationParams as "updateCustomerInformation" {
        Customer: Option<Customer> = body,
        UpdateEndUserSubscriptions: Option<bool> = query("endUserUpdate"),
    }
    rest {
        /// REST's `{CReference}`: the customer to update.
        target: Option<String> = path("CReference"),
    }
}

/// `updateCustomerInformation`.
#[derive(Debug)]
pub struct UpdateCustomerInformation;

impl Operation for UpdateCustomerInformation {
    const NAME: &'static str = "updateCustomerInformation";
    const DOC: &'static str = "Replaces the fields of the customer the Customer's AvangateCustomerReference names (on \
         REST, the path's) and returns true. UpdateEndUserSubscriptions is recorded.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
        ErrorCode::FiscalCodeWithoutCompany,
        ErrorCode::DuplicateExternalReference,
        ErrorCode::ReferenceMismatch,
        ErrorCode::NotFoundCustomer,
        ErrorCode::ConcurrentUpdate,
    ];
    const REST: &'static [Route] = &[Route::new(Method::Put, "/customers/{CReference}")
        .parameters(&[(
            "endUserUpdate",
            "true to copy the changes onto the end users of the customer's subscriptions",
        )])
        .body(&Customer::OBJECT)];
    type Params = UpdateCustomerInformationParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let customer = params.Customer.ok_or(Error::MissingField("Customer"))?;
        let target = params.target.map(CustomerLookup::InternalOrExternal);
        let end_user_update = params.UpdateEndUserSubscriptions.unwrap_or(false);
        gateway.update_customer(merchant, target.as_ref(), customer.into(), end_user_update).await?;
        Ok(true)
    }

    fn summary(updated: &bool) -> String {
        updated.to_string()
    }
}

wire_params! {
    pub struct SearchCustomersParams as "searchCustomers" {
        SearchOptions: Option<CustomerSearchOptions> = query_object,
    }
}

/// `searchCustomers`.
#[derive(Debug)]
pub struct SearchCustomers;

impl Operation for SearchCustomers {
    const NAME: &'static str = "searchCustomers";
    const DOC: &'static str = "One page of the customers matching every filter given, ordered by reference.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::InvalidField];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/customers").parameters(&[
        ("Email", "exact, ignoring case"),
        ("Phone", "exact"),
        ("CountryCode", "ISO 3166-1 alpha-2"),
        ("Language", "ISO 639-1"),
        ("Trial", "true or false"),
        ("Status", "ACTIVE or INACTIVE"),
        ("Page", "from 1"),
        ("Limit", "from 1 to 200, default 10"),
    ])];
    type Params = SearchCustomersParams;
    type Output = Page<Customer>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Page<Customer>> {
        let options = params.SearchOptions.unwrap_or_default();
        Ok(gateway.search_customers(merchant, options.into()).await?.into())
    }

    fn summary(result: &Page<Customer>) -> String {
        result.summary()
    }
}

wire_params! {
    pub struct GetSingleSignOnInCartParams as "getSingleSignOnInCart" {
        CustomerReference: Option<Text>,
        customerType: Option<String>,
        url: Option<String>,
        validityTime: Option<i64>,
        validationIp: Option<String>,
    }
    rest {
        either: Option<String>,
    }
}

/// `getSingleSignOnInCart`.
#[derive(Debug)]
pub struct GetSingleSignOnInCart;

impl Operation for GetSingleSignOnInCart {
    const NAME: &'static str = "getSingleSignOnInCart";
    const DOC: &'static str = "customerType: AvangateCustomerReference or ExternalCustomerReference. Returns url with \
         logintoken= appended: a single-use token, valid validityTime seconds (default 10).";
    const ERRORS: &'static [ErrorCode] =
        &[ErrorCode::MissingRequiredField, ErrorCode::InvalidField, ErrorCode::NotFoundCustomer];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/customers/{CReference}/cart").parameters(&[
        ("Url", "the buy link or cart URL the token is appended to"),
        ("ValidityTime", "seconds, default 10"),
        ("ValidationIp", "the shopper's IP the token is bound to"),
    ])];
    type Params = GetSingleSignOnInCartParams;
    type Output = String;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<String> {
        let lookup = match params.either {
            Some(reference) => CustomerLookup::InternalOrExternal(reference),
            None => CustomerLookup::for_sign_on(
                params.CustomerReference.map(|text| text.0),
                params.customerType.as_deref(),
            )?,
        };
        let request = SignOnRequest {
            url: params.url,
            validity_secs: params.validityTime,
            validation_ip: params.validationIp,
        };
        gateway.sign_on_in_cart(merchant, &lookup, request).await
    }

    fn bind(request: &RestRequest<'_>) -> Result<Self::Params> {
        let reference = path_reference(request);
        let (internal, external) = either(&reference);
        let customer_type =
            if internal.is_some() { "AvangateCustomerReference" } else { "ExternalCustomerReference" };
        Ok(GetSingleSignOnInCartParams {
            CustomerReference: Some(Text(external.unwrap_or_else(|| reference.clone()))),
            customerType: Some(customer_type.to_owned()),
            url: request.query("Url").map(str::to_owned),
            validityTime: request.query_value("ValidityTime")?,
            validationIp: request.query("ValidationIp").map(str::to_owned),
            either: Some(reference),
            ..Default::default()
        })
    }

    fn summary(_: &String) -> String {
        "logintoken issued".to_owned()
    }
}

wire_params! {
    pub struct GetCustomerInformationBySsoTokenParams as "getCustomerInformationBySSOToken" {
        singleSignOnToken: Option<Text>,
    }
}

/// `getCustomerInformationBySSOToken`.
#[derive(Debug)]
pub struct GetCustomerInformationBySsoToken;

impl Operation for GetCustomerInformationBySsoToken {
    const NAME: &'static str = "getCustomerInformationBySSOToken";
    const DOC: &'static str = "Consumes the token; the customer's cards carry their TransientToken.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::MissingRequiredField, ErrorCode::InvalidSsoToken];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/customers")
        .when("ssotoken")
        .parameters(&[("ssotoken", "the single sign-on token (consumed)")])];
    type Params = GetCustomerInformationBySsoTokenParams;
    type Output = Customer;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<Customer> {
        let token = Text::or_empty(params.singleSignOnToken);
        Ok(gateway.customer_by_sso_token(merchant, &token).await?.into())
    }

    fn bind(request: &RestRequest<'_>) -> Result<Self::Params> {
        let token = request.query("ssotoken").ok_or(Error::MissingField("ssotoken"))?;
        Ok(GetCustomerInformationBySsoTokenParams {
            singleSignOnToken: Some(Text(token.to_owned())),
            ..Default::default()
        })
    }

    fn summary(customer: &Customer) -> String {
        reference_summary(customer)
    }
}

wire_params! {
    pub struct DeleteCustomerCardParams as "deleteCustomerCard" {
        CustomerReference: Option<String> = path("CReference"),
        TransientToken: Option<String> = path("TransientToken"),
    }
}

/// Deleting a stored card: REST only, as on the vendor's API.
#[derive(Debug)]
pub struct DeleteCustomerCard;

impl Operation for DeleteCustomerCard {
    const NAME: &'static str = "deleteCustomerCard";
    const DOC: &'static str = "Deletes a stored card by its transient token. An unknown token answers 400 in the \
         vendor's {\"Deleted\": false, \"Errors\": [...]} shape.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFoundCustomer, ErrorCode::NotFoundCard];
    const POSITIONAL: bool = false;
    const REST: &'static [Route] =
        &[Route::new(Method::Delete, "/customers/{CReference}/credit-card/{TransientToken}")];
    type Params = DeleteCustomerCardParams;
    type Output = CardDeletion;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<CardDeletion> {
        let lookup = CustomerLookup::InternalOrExternal(params.CustomerReference.unwrap_or_default());
        gateway.delete_card(merchant, &lookup, params.TransientToken.as_deref().unwrap_or_default()).await?;
        Ok(CardDeletion { Deleted: true })
    }

    fn rest_error(error: &Error) -> Option<serde_json::Value> {
        let (code, message) = (error.code().as_str(), error.to_string());
        matches!(error, Error::CardNotFound).then(|| {
            serde_json::json!({
                "Deleted": false,
                "Errors": [{ "SubscriptionReference": null, "Message": message, "ErrorCode": code }],
                "error_code": code,
                "message": message,
            })
        })
    }

    fn summary(_: &CardDeletion) -> String {
        "deleted".to_owned()
    }
}
