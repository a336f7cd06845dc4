//! Who may use the admin endpoints, and from where.
//!
//! Three checks, in this order:
//! - **Host** (DNS rebinding): without a token the endpoints are open, so they answer only a
//!   request addressed to a loopback name or address or to the `--public-url` host; a page on a
//!   domain that re-resolves to 127.0.0.1 names its own host and is refused.
//! - **Token**: with `--admin-token`, every JSON call presents `Authorization: Bearer <token>`.
//! - **Cross-site writes** (CSRF): a state-changing request (any method but GET and HEAD) must carry
//!   no `Origin` or the gateway's own, and a POST must say `Content-Type: application/json`, which
//!   a cross-site form or a `no-cors` fetch cannot send. (A cross-site PUT or DELETE is never
//!   sent without a CORS preflight, which nothing here answers; `curl -X DELETE` stays simple.)

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, HOST, ORIGIN};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::AdminError;
use crate::Config;

/// Who may use the admin endpoints.
#[derive(Debug, Clone)]
pub(crate) enum Access {
    /// Anyone who reaches the (loopback) address under a loopback or the public host name.
    Open,
    /// Only with this bearer token, under any host name.
    Token(Arc<str>),
}

/// The access rule with what it needs to know of the gateway's own address.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    pub(crate) access: Access,
    /// The `--public-url` host, lower-case, without port.
    public_host: Option<String>,
}

impl Guard {
    /// The rule for `config`; `None` when the admin endpoints must not exist.
    pub(crate) fn of(config: &Config) -> Option<Guard> {
        let access = match &config.admin_token {
            Some(token) => Access::Token(token.as_str().into()),
            None if config.listen.ip().is_loopback() => Access::Open,
            None => return None,
        };
        let public_host = config
            .public_url
            .as_deref()
            .and_then(|url| url.parse::<Uri>().ok())
            .and_then(|uri| uri.host().map(|host| host.trim_matches(['[', ']']).to_ascii_lowercase()));
        Some(Guard { access, public_host })
    }

    /// Why `headers` may not reach the admin endpoints with `method`, if they may not.
    fn refusal(&self, method: &Method, headers: &HeaderMap, page: bool) -> Option<Refusal> {
        let host = header(headers, HOST.as_str());
        if matches!(self.access, Access::Open) && !self.host_allowed(host) {
            return Some(Refusal::Host);
        }
        if !page && !self.token_presented(headers) {
            return Some(Refusal::Token);
        }
        if method == Method::GET || method == Method::HEAD {
            return None;
        }
        if method == Method::POST && !is_json(header(headers, CONTENT_TYPE.as_str())) {
            return Some(Refusal::ContentType);
        }
        match headers.get(ORIGIN) {
            None => None,
            Some(origin) if self.is_own_origin(origin.to_str().unwrap_or_default(), host) => None,
            Some(_) => Some(Refusal::Origin),
        }
    }

    fn token_presented(&self, headers: &HeaderMap) -> bool {
        let Access::Token(token) = &self.access else {
            return true;
        };
        let presented = header(headers, "authorization")
            .and_then(|value| value.strip_prefix("Bearer "))
            .unwrap_or_default();
        presented.len() == token.len()
            && presented.bytes().zip(token.bytes()).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
    }

    /// A loopback name or address, or the public URL's host.
    fn host_allowed(&self, host: Option<&str>) -> bool {
        let Some(name) = host.and_then(host_name) else {
            return false;
        };
        name == "localhost"
            || name.parse::<IpAddr>().is_ok_and(|address| address.is_loopback())
            || self.public_host.as_deref() == Some(name.as_str())
    }

    /// `origin` names the host the request was sent to (or the public URL's host).
    fn is_own_origin(&self, origin: &str, host: Option<&str>) -> bool {
        let Some(authority) = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"))
        else {
            return false;
        };
        host.is_some_and(|host| host.eq_ignore_ascii_case(authority))
            || (self.public_host.is_some() && host_name(authority) == self.public_host)
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The host of a `Host` header or an origin's authority: lower-case, without port or brackets.
fn host_name(authority: &str) -> Option<String> {
    let name = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']')?.0,
        None => authority.rsplit_once(':').map_or(authority, |(name, _port)| name),
    };
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

/// `application/json`, with or without parameters, in any case.
fn is_json(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    Host,
    Token,
    ContentType,
    Origin,
}

impl Refusal {
    fn response(self) -> Response {
        let (status, code, message) = match self {
            Refusal::Host => (
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
                "without an admin token the admin API answers only requests to localhost, a loopback address or the --public-url host",
            ),
            Refusal::Token => (
                StatusCode::UNAUTHORIZED,
                "AUTHENTICATION_ERROR",
                "admin endpoints need Authorization: Bearer <admin token>",
            ),
            Refusal::ContentType => (
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
                "a POST to the admin API must be sent with Content-Type: application/json",
            ),
            Refusal::Origin => (
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
                "a request that changes the admin state is refused from a page of another origin",
            ),
        };
        AdminError::new(status, code, message).into_response()
    }
}

/// The middleware in front of the admin JSON endpoints.
pub(crate) async fn guard_api(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    match guard.refusal(request.method(), request.headers(), false) {
        None => next.run(request).await,
        Some(refusal) => refusal.response(),
    }
}

/// The middleware in front of the dashboard page, which asks for the token itself.
pub(crate) async fn guard_page(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    match guard.refusal(request.method(), request.headers(), true) {
        None => next.run(request).await,
        Some(refusal) => refusal.response(),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn open(public_url: Option<&str>) -> Guard {
        Guard::of(&Config { public_url: public_url.map(str::to_owned), ..Config::default() }).unwrap()
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn hosts_when_open() {
        let guard = open(Some("https://sandbox.example.com/"));
        for host in
            ["localhost:8080", "LOCALHOST", "127.0.0.1:1", "127.9.9.9", "[::1]:8080", "sandbox.example.com"]
        {
            let refused = guard.refusal(&Method::GET, &headers(&[("host", host)]), false);
            assert_eq!(refused, None, "{host}");
        }
        for host in ["evil.example:8080", "10.0.0.1", "localhost.evil.example", "[::2]", ""] {
            let refused = guard.refusal(&Method::GET, &headers(&[("host", host)]), false);
            assert_eq!(refused, Some(Refusal::Host), "{host}");
        }
        assert_eq!(guard.refusal(&Method::GET, &HeaderMap::new(), true), Some(Refusal::Host));
    }

    #[test]
    fn writes_need_json_and_the_own_origin() {
        let guard = open(None);
        let json = ("content-type", "application/json; charset=utf-8");
        let host = ("host", "127.0.0.1:8080");
        assert_eq!(guard.refusal(&Method::POST, &headers(&[host, json]), false), None);
        assert_eq!(
            guard.refusal(&Method::POST, &headers(&[host, json, ("origin", "http://127.0.0.1:8080")]), false),
            None
        );
        for origin in ["http://evil.example", "http://127.0.0.1:9999", "null", "http://localhost:8080"] {
            let refused = guard.refusal(&Method::POST, &headers(&[host, json, ("origin", origin)]), false);
            assert_eq!(refused, Some(Refusal::Origin), "{origin}");
        }
        for content_type in ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"] {
            let refused =
                guard.refusal(&Method::POST, &headers(&[host, ("content-type", content_type)]), false);
            assert_eq!(refused, Some(Refusal::ContentType), "{content_type}");
        }
        assert_eq!(guard.refusal(&Method::DELETE, &headers(&[host]), false), None, "curl -X DELETE");
        let cross_delete = headers(&[host, ("origin", "http://evil.example")]);
        assert_eq!(guard.refusal(&Method::DELETE, &cross_delete, false), Some(Refusal::Origin));
        assert_eq!(guard.refusal(&Method::POST, &headers(&[host]), false), Some(Refusal::ContentType));
    }

    #[test]
    fn a_token_allows_any_host_but_not_cross_site_writes() {
        let guard = Guard::of(&Config { admin_token: Some("t0ken".into()), ..Config::default() }).unwrap();
        let host = ("host", "gateway.internal:8080");
        assert_eq!(guard.refusal(&Method::GET, &headers(&[host]), false), Some(Refusal::Token));
        let bearer = ("authorization", "Bearer t0ken");
        assert_eq!(guard.refusal(&Method::GET, &headers(&[host, bearer]), false), None);
        let cross = [host, bearer, ("content-type", "application/json"), ("origin", "http://evil.example")];
        assert_eq!(guard.refusal(&Method::POST, &headers(&cross), false), Some(Refusal::Origin));
    }
}
