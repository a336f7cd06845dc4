//! The operations, with the vendor's positional parameters (session id first, except for
//! `login`). Each reads its parameters, calls one core operation and returns a [`Reply`];
//! the meanings of parameters and "not given" values are those of JSON-RPC.

use tco_core::{Call, Credentials, CustomerLookup, Error, Gateway, Protocol, SignOnRequest};

use crate::values::{Params, customer, search_options};
use crate::write::Reply;

/// Every operation the WSDL declares, with its parameter names in positional order.
pub const OPERATIONS: &[(&str, &[&str])] = tco_core::POSITIONAL_OPERATIONS;

pub(crate) async fn call(
    gateway: &Gateway,
    operation: &'static str,
    params: &Params<'_>,
) -> Result<Reply, Error> {
    if operation == "login" {
        let credentials = Credentials {
            merchant_code: params.required_string(0)?,
            date: params.required_string(1)?,
            hash: params.required_string(2)?,
            algo: params.string(3)?,
        };
        return Ok(Reply::Text(gateway.login(&credentials, Protocol::Soap).await?.into_string()));
    }
    let call = Call::new(Protocol::Soap, operation);
    let merchant = gateway.session(&params.string(0)?.unwrap_or_default(), call).await?;
    match operation {
        "createCustomer" => {
            let fields = params.structure(1)?.ok_or(Error::MissingField("Customer"))?;
            Ok(Reply::Integer(gateway.create_customer(&merchant, customer(&fields)?).await?))
        }
        "getCustomerInformation" => {
            let lookup = CustomerLookup::from_references(params.integer(1)?, params.string(2)?.as_deref())
                .ok_or(Error::MissingField("AvangateCustomerReference"))?;
            Ok(Reply::Customer(Box::new(gateway.get_customer(&merchant, &lookup, true).await?)))
        }
        "updateCustomerInformation" => {
            let fields = params.structure(1)?;
            let end_user_update = params.boolean(2)?.unwrap_or(false);
            let fields = fields.ok_or(Error::MissingField("Customer"))?;
            gateway.update_customer(&merchant, None, customer(&fields)?, end_user_update).await?;
            Ok(Reply::Boolean(true))
        }
        "searchCustomers" => {
            let input =
                params.structure(1)?.map(|fields| search_options(&fields)).transpose()?.unwrap_or_default();
            Ok(Reply::Search(gateway.search_customers(&merchant, input).await?))
        }
        "getSingleSignOnInCart" => {
            let (reference, customer_type) = (params.string(1)?, params.string(2)?);
            let request = SignOnRequest {
                url: params.string(3)?,
                validity_secs: params.integer(4)?,
                validation_ip: params.string(5)?,
            };
            let lookup = CustomerLookup::for_sign_on(reference, customer_type.as_deref())?;
            Ok(Reply::Text(gateway.sign_on_in_cart(&merchant, &lookup, request).await?))
        }
        "getCustomerInformationBySSOToken" => {
            let token = params.string(1)?.unwrap_or_default();
            Ok(Reply::Customer(Box::new(gateway.customer_by_sso_token(&merchant, &token).await?)))
        }
        other => Err(Error::UnknownOperation(format!("{other} is not a SOAP operation of this service."))),
    }
}
