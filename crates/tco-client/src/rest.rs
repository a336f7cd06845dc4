//! The REST transport: every request signed with `X-Avangate-Authentication`.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth::Credentials;
use crate::call::{Call, PartnerContext, Reply, argument};
use crate::error::{ClientError, Result};
use crate::model::{Customer, Reference, SearchOptions, SearchResult, SignOn};
use crate::{Api, Protocol};

/// A REST client for `…/rest/6.0/`.
#[derive(Debug, Clone)]
pub struct RestClient {
    http: reqwest::Client,
    base: Url,
    credentials: Credentials,
    /// The partner `setPartner` checked, named on Channel Manager calls.
    partner: Arc<Mutex<Option<String>>>,
}

impl RestClient {
    /// `base_url` is the server root, e.g. `http://127.0.0.1:8080`.
    pub fn new(base_url: &str, credentials: Credentials) -> Result<Self> {
        let base = Url::parse(&format!("{}/rest/6.0/", base_url.trim_end_matches('/')))
            .map_err(|error| ClientError::Transport(format!("invalid base URL: {error}")))?;
        Ok(RestClient { http: reqwest::Client::new(), base, credentials, partner: Arc::default() })
    }

    fn url(&self, segments: &[&str]) -> Result<Url> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| ClientError::Transport("the base URL cannot have a path".into()))?
            .pop_if_empty()
            .extend(segments)
            .push("");
        Ok(url)
    }

    async fn exchange<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<T> {
        let mut request = self
            .http
            .request(method, url)
            .header("X-Avangate-Authentication", self.credentials.rest_header())
            .header("Accept", "application/json")
            .query(query);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status();
        let text = response.text().await?;
        let value: Value = serde_json::from_str(&text).map_err(|_| {
            ClientError::Protocol(format!("HTTP {status} with a body that is not JSON: {text}"))
        })?;
        if !status.is_success() {
            return Err(ClientError::Api {
                code: value["error_code"].as_str().unwrap_or("UNKNOWN").to_owned(),
                message: value["message"].as_str().unwrap_or_default().to_owned(),
                status: status.as_u16(),
                rpc_code: None,
            });
        }
        serde_json::from_value(value).map_err(|error| ClientError::Protocol(error.to_string()))
    }

    fn reference(reference: &Reference) -> Result<String> {
        match reference {
            Reference::Internal(number) => Ok(number.to_string()),
            Reference::External(text) => Ok(text.clone()),
            Reference::Both(..) => Err(ClientError::Unsupported("naming a customer by both references")),
        }
    }
}

#[async_trait]
impl Api for RestClient {
    fn protocol(&self) -> Protocol {
        Protocol::Rest
    }

    /// REST has no login: a signed one-item search proves the credentials instead.
    async fn login(&self) -> Result<()> {
        let _: Value =
            self.exchange(Method::GET, self.url(&["customers"])?, &[("Limit", "1".into())], None).await?;
        Ok(())
    }

    async fn create_customer(&self, customer: &Customer) -> Result<i64> {
        self.exchange(Method::POST, self.url(&["customers"])?, &[], Some(&argument(customer)?)).await
    }

    async fn get_customer(&self, reference: &Reference) -> Result<Customer> {
        let url = self.url(&["customers", &Self::reference(reference)?])?;
        self.exchange(Method::GET, url, &[("includePaymentData", "true".into())], None).await
    }

    async fn update_customer(&self, customer: &Customer, end_user_update: bool) -> Result<()> {
        let reference = customer.avangate_customer_reference.ok_or_else(|| {
            ClientError::Protocol("an update needs the customer's AvangateCustomerReference".into())
        })?;
        let url = self.url(&["customers", &reference.to_string()])?;
        let _: bool = self
            .exchange(
                Method::PUT,
                url,
                &[("endUserUpdate", end_user_update.to_string())],
                Some(&argument(customer)?),
            )
            .await?;
        Ok(())
    }

    async fn search_customers(&self, options: &SearchOptions) -> Result<SearchResult> {
        let mut query = Vec::new();
        let texts = [
            ("Email", &options.email),
            ("Phone", &options.phone),
            ("CountryCode", &options.country_code),
            ("Language", &options.language),
            ("Status", &options.status),
        ];
        for (name, value) in texts {
            if let Some(value) = value {
                query.push((name, value.clone()));
            }
        }
        if let Some(trial) = options.trial {
            query.push(("Trial", trial.to_string()));
        }
        if let Some(page) = options.pagination {
            query.push(("Page", page.page.to_string()));
            query.push(("Limit", page.limit.to_string()));
        }
        self.exchange(Method::GET, self.url(&["customers"])?, &query, None).await
    }

    async fn sign_on_in_cart(&self, reference: &Reference, sign_on: &SignOn) -> Result<String> {
        let mut query = vec![("Url", sign_on.url.clone())];
        if let Some(validity) = sign_on.validity_secs {
            query.push(("ValidityTime", validity.to_string()));
        }
        if let Some(ip) = &sign_on.validation_ip {
            query.push(("ValidationIp", ip.clone()));
        }
        let url = self.url(&["customers", &Self::reference(reference)?, "cart"])?;
        self.exchange(Method::GET, url, &query, None).await
    }

    async fn customer_by_sso_token(&self, token: &str) -> Result<Customer> {
        self.exchange(Method::GET, self.url(&["customers"])?, &[("ssotoken", token.to_owned())], None).await
    }

    async fn send(&self, call: &Call) -> Result<Reply> {
        let rest = call.rest.as_ref().ok_or(ClientError::Unsupported(call.operation))?;
        let segments: Vec<&str> = rest.path.iter().map(String::as_str).collect();
        let mut query: Vec<(&str, String)> =
            rest.query.iter().map(|(name, value)| (name.as_str(), value.clone())).collect();
        let partner = self.partner.lock().map(|partner| partner.clone()).unwrap_or_default();
        if let (PartnerContext::Named, Some(partner)) = (&rest.partner, partner) {
            query.push(("PartnerCode", partner));
        }
        let url = self.url(&segments)?;
        let answer: Value = self.exchange(rest.method.clone(), url, &query, rest.body.as_ref()).await?;
        if let (PartnerContext::Sets(code), Value::Bool(true)) = (&rest.partner, &answer)
            && let Ok(mut partner) = self.partner.lock()
        {
            *partner = Some(code.clone());
        }
        Ok(Reply::Json(answer))
    }

    async fn delete_card(&self, reference: &Reference, transient_token: &str) -> Result<()> {
        let mut url =
            self.url(&["customers", &Self::reference(reference)?, "credit-card", transient_token])?;
        // The vendor's path has no trailing slash here.
        url.path_segments_mut().map_err(|()| ClientError::Transport("bad URL".into()))?.pop_if_empty();
        let answer: Value = self.exchange(Method::DELETE, url, &[], None).await?;
        match answer["Deleted"].as_bool() {
            Some(true) => Ok(()),
            _ => Err(ClientError::Protocol(format!("unexpected answer to a card deletion: {answer}"))),
        }
    }
}
