//! The REST routes of the registry's operations, matched once per request: the same match
//! names the operation for the span and the journal and runs it. Paths match with or without a
//! trailing slash and with repeated slashes (the Ruby SDK writes `/orders/123//`); `{Name}`
//! segments are percent-decoded. A route with a query condition (`?ssotoken=`) is taken when
//! that parameter is present, in any case, after decoding.

use std::sync::LazyLock;

use tco_api::{Method, OperationId, Route};
use tco_core::Error;

/// A route and the operation it runs.
#[derive(Debug)]
pub struct Entry {
    pub route: Route,
    pub operation: OperationId,
    segments: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Literal(&'static str),
    Parameter(&'static str),
}

/// Every route of every operation.
pub fn table() -> &'static [Entry] {
    static TABLE: LazyLock<Vec<Entry>> = LazyLock::new(|| {
        tco_api::descriptors()
            .into_iter()
            .flat_map(|operation| operation.rest.iter().map(move |route| (route, operation.id)))
            .map(|(route, operation)| Entry {
                route: *route,
                operation,
                segments: route
                    .path
                    .split('/')
                    .filter(|segment| !segment.is_empty())
                    .map(|segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => Segment::Parameter(name),
                        None => Segment::Literal(segment),
                    })
                    .collect(),
            })
            .collect()
    });
    &TABLE
}

/// What a request matched.
#[derive(Debug)]
pub struct Matched {
    pub entry: &'static Entry,
    pub path: Vec<(&'static str, String)>,
}

/// The route for `method` on `path` (below the prefix) with these decoded query pairs.
pub fn find(method: &str, path: &str, query: &[(String, String)]) -> Result<Matched, Error> {
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    let on_path: Vec<&'static Entry> =
        table().iter().filter(|entry| shape_matches(entry, &segments)).collect();
    if on_path.is_empty() {
        return Err(Error::UnknownOperation(format!("no REST resource at {path}.")));
    }
    let for_method: Vec<&'static Entry> = on_path
        .into_iter()
        .filter(|entry| entry.route.method.as_str().eq_ignore_ascii_case(method))
        .collect();
    let has = |name: &str| query.iter().any(|(key, _)| key.eq_ignore_ascii_case(name));
    let entry = for_method
        .iter()
        .find(|entry| entry.route.query.is_some_and(has))
        .or_else(|| for_method.iter().find(|entry| entry.route.query.is_none()))
        .ok_or_else(|| Error::MethodNotAllowed(format!("{method} is not supported on this resource.")))?;
    let mut parameters = Vec::new();
    for (segment, value) in entry.segments.iter().zip(&segments) {
        if let Segment::Parameter(name) = segment {
            parameters.push((*name, decode(value)?));
        }
    }
    Ok(Matched { entry, path: parameters })
}

fn shape_matches(entry: &Entry, segments: &[&str]) -> bool {
    entry.segments.len() == segments.len()
        && entry.segments.iter().zip(segments).all(|(expected, actual)| match expected {
            Segment::Literal(literal) => literal.eq_ignore_ascii_case(actual),
            Segment::Parameter(_) => true,
        })
}

/// A percent-decoded path segment; one that is not UTF-8 once decoded is a malformed request.
fn decode(segment: &str) -> Result<String, Error> {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |offset: usize| bytes.get(index + offset).and_then(|byte| (*byte as char).to_digit(16));
        match (bytes[index], hex(1), hex(2)) {
            (b'%', Some(high), Some(low)) => {
                decoded.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).map_err(|_| {
        Error::MalformedRequest(format!("the path segment \"{segment}\" is not UTF-8 once decoded."))
    })
}

/// The methods an OpenAPI path item lists, in a stable order.
pub const METHODS: [Method; 4] = [Method::Get, Method::Post, Method::Put, Method::Delete];

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn one_decision_per_request() {
        let operation = |method: &str, path: &str, pairs: &[(&str, &str)]| {
            find(method, path, &query(pairs)).map(|matched| matched.entry.operation.name())
        };
        assert_eq!(operation("GET", "/customers/", &[]), Ok("searchCustomers"));
        assert_eq!(
            operation("GET", "/customers", &[("SSOToken", "x")]),
            Ok("getCustomerInformationBySSOToken")
        );
        assert_eq!(operation("GET", "/customers", &[("ssotokenx", "1")]), Ok("searchCustomers"));
        assert_eq!(operation("GET", "//customers//42//", &[]), Ok("getCustomerInformation"));
        assert_eq!(operation("PUT", "/customers/42", &[]), Ok("updateCustomerInformation"));
        assert!(matches!(operation("PATCH", "/customers/42", &[]), Err(Error::MethodNotAllowed(_))));
        assert!(matches!(operation("GET", "/nothing", &[]), Err(Error::UnknownOperation(_))));
        let matched = find("DELETE", "/customers/ext%20a/credit-card/t%2Fk", &[]).unwrap();
        assert_eq!(matched.path, [("CReference", "ext a".to_owned()), ("TransientToken", "t/k".to_owned())]);
        assert!(matches!(find("GET", "/customers/%FF", &[]), Err(Error::MalformedRequest(_))));
    }
}
