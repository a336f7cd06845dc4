//! One handler per route: parse, call the core once, serialise. (The authentication extractor
//! names the operation, with the vendor's method name, for the span and the journal.)

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use tco_core::{CustomerLookup, Error, SearchInput, SignOnRequest};

use crate::RestState;
use crate::auth::Authenticated;
use tco_json::{CustomerBody, CustomerDto, SearchResultDto};

use crate::dto::{CardDeletionDto, CardDeletionErrorDto};
use crate::error::{RestResult, record, status};
use crate::extract::{JsonBody, QueryParams};

/// `POST /customers/` → the new reference as a bare JSON integer.
pub async fn create_customer(
    State(state): State<RestState>,
    Authenticated(merchant): Authenticated,
    JsonBody(body): JsonBody<CustomerBody>,
) -> RestResult<Json<i64>> {
    Ok(Json(state.gateway.create_customer(&merchant, body.into()).await?))
}

/// `GET /customers/{CReference}/[?includePaymentData=true]`.
pub async fn get_customer(
    State(state): State<RestState>,
    Authenticated(merchant): Authenticated,
    Path(reference): Path<String>,
    params: QueryParams,
) -> RestResult<Json<CustomerDto>> {
    let include_payment_data = params.boolean("includePaymentData")?.unwrap_or(false);
    let lookup = CustomerLookup::InternalOrExternal(reference);
    let customer = state.gateway.get_customer(&merchant, &lookup, include_payment_data).await?;
    Ok(Json(customer.into()))
}

/// `PUT /customers/{CReference}/[?endUserUpdate=true]` → `true`.
pub async fn update_customer(
    State(state): State<RestState>,
    Authenticated(merchant): Authenticated,
    Path(reference): Path<String>,
    params: QueryParams,
    JsonBody(body): JsonBody<CustomerBody>,
) -> RestResult<Json<bool>> {
    let end_user_update = params.boolean("endUserUpdate")?.unwrap_or(false);
    let lookup = CustomerLookup::InternalOrExternal(reference);
    state.gateway.update_customer(&merchant, Some(&lookup), body.into(), end_user_update).await?;
    Ok(Json(true))
}

/// `GET /customers/?ssotoken=…` reads the customer behind a single sign-on token; any other
/// `GET /customers/` searches.
pub async fn list_customers(
    State(state): State<RestState>,
    Authenticated(merchant): Authenticated,
    params: QueryParams,
) -> RestResult<Response> {
    if params.has("ssotoken") {
        let token = params.text("ssotoken").ok_or(Error::MissingField("ssotoken"))?;
        let customer = state.gateway.customer_by_sso_token(&merchant, &token).await?;
        return Ok(Json(CustomerDto::from(customer)).into_response());
    }
    let input = SearchInput {
        email: params.text("Email"),
        phone: params.text("Phone"),
        country_code: params.text("CountryCode"),
        language: params.text("Language"),
        trial: params.boolean("Trial")?,
        status: params.text("Status"),
        page: params.integer("Page")?,
        limit: params.integer("Limit")?,
    };
    let page = state.gateway.search_customers(&merchant, input).await?;
    Ok(Json(SearchResultDto::from(page)).into_response())
}

/// `GET /customers/{CReference}/cart/?Url=&ValidityTime=&ValidationIp=` → the URL with
/// `logintoken=` appended, as a JSON string.
pub async fn sign_on_in_cart(
    State(state): State<RestState>,
    Authenticated(merchant): Authenticated,
    Path(reference): Path<String>,
    params: QueryParams,
) -> RestResult<Json<String>> {
    let request = SignOnRequest {
        url: params.text("Url"),
        validity_secs: params.integer("ValidityTime")?,
        validation_ip: params.text("ValidationIp"),
    };
    let lookup = CustomerLookup::InternalOrExternal(reference);
    Ok(Json(state.gateway.sign_on_in_cart(&merchant, &lookup, request).await?))
}

/// `DELETE /customers/{CReference}/credit-card/{TransientToken}` → `{"Deleted":true}`; an
/// unknown token answers 400 in the vendor's `{"Deleted":false,"Errors":[…]}` shape.
pub async fn delete_card(
    State(state): State<RestState>,
    Authenticated(merchant): Authenticated,
    Path((reference, token)): Path<(String, String)>,
) -> RestResult<Response> {
    let lookup = CustomerLookup::InternalOrExternal(reference);
    match state.gateway.delete_card(&merchant, &lookup, &token).await {
        Ok(()) => Ok(Json(CardDeletionDto { deleted: true, errors: None, error_code: None, message: None })
            .into_response()),
        Err(error @ Error::CardNotFound) => {
            record(error.code());
            let body = CardDeletionDto {
                deleted: false,
                errors: Some(vec![CardDeletionErrorDto {
                    subscription_reference: None,
                    message: error.to_string(),
                    error_code: error.code().as_str(),
                }]),
                error_code: Some(error.code().as_str()),
                message: Some(error.to_string()),
            };
            Ok((status(error.code()), Json(body)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
