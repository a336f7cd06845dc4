//! The API's methods with the vendor's positional parameters (session id first). Each one
//! parses its arguments, calls one core operation and returns the vendor's result shape.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use jsonrpsee::RpcModule;
use jsonrpsee::core::RegisterMethodError;
use serde::Serialize;
use tco_core::{Call, Credentials, CustomerLookup, Error, Gateway, Protocol, SignOnRequest};
use tco_json::{CustomerBody, CustomerDto, SearchOptionsBody, SearchResultDto};
use tracing::Instrument;
use tracing::field::Empty;

use crate::args::Args;
use crate::error::error_object;

/// Every method this endpoint serves, with its parameter names in positional order.
pub const METHODS: &[(&str, &[&str])] = tco_core::POSITIONAL_OPERATIONS;

fn names(method: &str) -> &'static [&'static str] {
    tco_core::positional_operation(method).map(|(_, names)| names).unwrap_or(&[])
}

pub fn module(gateway: Arc<Gateway>) -> Result<RpcModule<Gateway>, RegisterMethodError> {
    let mut module = RpcModule::from_arc(gateway);

    register(&mut module, "login", |args, gateway, call| async move {
        let credentials = Credentials {
            merchant_code: args.required_string(0)?,
            date: args.required_string(1)?,
            hash: args.required_string(2)?,
            algo: args.string(3)?,
        };
        Ok(gateway.login(&credentials, call.protocol).await?.into_string())
    })?;

    register(&mut module, "createCustomer", |args, gateway, call| async move {
        let merchant = gateway.session(&args.string(0)?.unwrap_or_default(), call).await?;
        let customer: CustomerBody = args.object(1)?.ok_or(Error::MissingField("Customer"))?;
        gateway.create_customer(&merchant, customer.into()).await
    })?;

    register(&mut module, "getCustomerInformation", |args, gateway, call| async move {
        let merchant = gateway.session(&args.string(0)?.unwrap_or_default(), call).await?;
        let lookup = CustomerLookup::from_references(args.integer(1)?, args.text(2)?.as_deref())
            .ok_or(Error::MissingField("AvangateCustomerReference"))?;
        Ok(CustomerDto::from(gateway.get_customer(&merchant, &lookup, true).await?))
    })?;

    register(&mut module, "updateCustomerInformation", |args, gateway, call| async move {
        let merchant = gateway.session(&args.string(0)?.unwrap_or_default(), call).await?;
        let customer: Option<CustomerBody> = args.object(1)?;
        let end_user_update = args.boolean(2)?.unwrap_or(false);
        let customer = customer.ok_or(Error::MissingField("Customer"))?;
        gateway.update_customer(&merchant, None, customer.into(), end_user_update).await?;
        Ok(true)
    })?;

    register(&mut module, "searchCustomers", |args, gateway, call| async move {
        let merchant = gateway.session(&args.string(0)?.unwrap_or_default(), call).await?;
        let options: SearchOptionsBody = args.object(1)?.unwrap_or_default();
        Ok(SearchResultDto::from(gateway.search_customers(&merchant, options.into()).await?))
    })?;

    register(&mut module, "getSingleSignOnInCart", |args, gateway, call| async move {
        let merchant = gateway.session(&args.string(0)?.unwrap_or_default(), call).await?;
        let (reference, customer_type) = (args.text(1)?, args.string(2)?);
        let request = SignOnRequest {
            url: args.string(3)?,
            validity_secs: args.integer(4)?,
            validation_ip: args.string(5)?,
        };
        let lookup = CustomerLookup::for_sign_on(reference, customer_type.as_deref())?;
        gateway.sign_on_in_cart(&merchant, &lookup, request).await
    })?;

    register(&mut module, "getCustomerInformationBySSOToken", |args, gateway, call| async move {
        let merchant = gateway.session(&args.string(0)?.unwrap_or_default(), call).await?;
        let token = args.text(1)?.unwrap_or_default();
        Ok(CustomerDto::from(gateway.customer_by_sso_token(&merchant, &token).await?))
    })?;

    Ok(module)
}

/// Registers a method inside a span carrying the protocol, the operation, the error code if
/// any and the latency; core errors become JSON-RPC error objects.
fn register<F, Fut, T>(
    module: &mut RpcModule<Gateway>,
    name: &'static str,
    handler: F,
) -> Result<(), RegisterMethodError>
where
    F: Fn(Args, Arc<Gateway>, Call) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, Error>> + Send + 'static,
    T: Serialize + Clone + Send + 'static,
{
    module.register_async_method(name, move |params, gateway, _| {
        let handler = handler.clone();
        let raw = params.as_str().map(str::to_owned);
        async move {
            let span = tracing::info_span!(
                "request",
                protocol = "jsonrpc",
                operation = name,
                error_code = Empty,
                latency_us = Empty
            );
            let started = Instant::now();
            let result = async {
                let args = Args::parse(raw.as_deref(), names(name))?;
                handler(args, gateway, Call::new(Protocol::JsonRpc, name)).await
            }
            .instrument(span.clone())
            .await;
            let _entered = span.enter();
            let result = result.map_err(|error| error_object(&error));
            span.record("latency_us", u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
            tracing::debug!("call completed");
            result
        }
    })?;
    Ok(())
}
