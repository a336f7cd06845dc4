//! From a parsed document to a call: the SOAP version, the operation (Body's first child, by
//! local name, any namespace) and its parameters in order, with SOAP-encoding `href`/`id`
//! references (multiRef) resolved — within a bound on the elements and bytes they expand to,
//! since one element referenced twice from each level doubles per level. Header entries the
//! gateway must understand (it understands none) are refused as SOAP requires.

use std::collections::HashMap;

use tco_core::Error;

use crate::xml::{Element, Limits};

pub const SOAP11_ENVELOPE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const SOAP12_ENVELOPE: &str = "http://www.w3.org/2003/05/soap-envelope";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Soap11,
    Soap12,
}

impl Version {
    /// From the request's `Content-Type`, for when the envelope cannot tell.
    pub fn from_content_type(content_type: Option<&str>) -> Self {
        match content_type {
            Some(value) if value.trim_start().to_ascii_lowercase().starts_with("application/soap+xml") => {
                Version::Soap12
            }
            _ => Version::Soap11,
        }
    }
}

/// An operation call read from an envelope.
#[derive(Debug)]
pub struct Call {
    pub version: Version,
    pub operation: String,
    pub params: Vec<Element>,
}

/// SOAP 1.1's actor and SOAP 1.2's roles that address the gateway, the ultimate receiver.
const OUR_ROLES: [&str; 3] = [
    "http://schemas.xmlsoap.org/soap/actor/next",
    "http://www.w3.org/2003/05/soap-envelope/role/next",
    "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver",
];

/// Reads the call out of an envelope. `fallback` is the version the content type suggests;
/// `max_expanded_bytes` bounds the text that `href` references may copy.
pub fn read(
    root: Element,
    fallback: Version,
    limits: Limits,
    max_expanded_bytes: usize,
) -> Result<Call, (Version, Error)> {
    let version = match root.namespace.as_deref() {
        Some(SOAP11_ENVELOPE) => Version::Soap11,
        Some(SOAP12_ENVELOPE) => Version::Soap12,
        _ => fallback,
    };
    let fail = |message: String| (version, Error::MalformedRequest(message));
    if !root.local.eq_ignore_ascii_case("Envelope") {
        return Err(fail(format!("the root element is {}, not a SOAP Envelope.", root.local)));
    }
    let Element { children, .. } = root;
    if let Some(header) = children.iter().find(|child| child.local.eq_ignore_ascii_case("Header"))
        && let Some(entry) = header.children.iter().find(|entry| must_understand(entry))
    {
        let namespace = entry.namespace.clone().unwrap_or_default();
        return Err((version, Error::MustUnderstand { header: entry.local.clone(), namespace }));
    }
    let body = children
        .into_iter()
        .find(|child| child.local.eq_ignore_ascii_case("Body"))
        .ok_or_else(|| fail("the Envelope has no Body.".into()))?;
    let mut ids = HashMap::new();
    collect_ids(&body, &mut ids);
    let operation = body
        .children
        .first()
        .ok_or_else(|| fail("the Body is empty; it must hold the operation element.".into()))?;
    let mut budget = Budget { elements: limits.max_elements, bytes: max_expanded_bytes };
    let params = operation
        .children
        .iter()
        .map(|param| resolve(param, &ids, limits.max_depth, &mut budget))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    Ok(Call { version, operation: operation.local.clone(), params })
}

/// A header entry marked `mustUnderstand` for the gateway (no actor or role, or "next", or
/// SOAP 1.2's "ultimateReceiver").
fn must_understand(entry: &Element) -> bool {
    let marked = entry.attribute("mustUnderstand").is_some_and(|value| matches!(value.trim(), "1" | "true"));
    let role = entry.attribute("actor").or_else(|| entry.attribute("role"));
    marked && role.is_none_or(|role| OUR_ROLES.contains(&role.trim()))
}

/// What reference expansion may still copy.
struct Budget {
    elements: usize,
    bytes: usize,
}

fn collect_ids<'a>(element: &'a Element, ids: &mut HashMap<String, &'a Element>) {
    if let Some(id) = element.attribute("id") {
        ids.entry(id.to_owned()).or_insert(element);
    }
    for child in &element.children {
        collect_ids(child, ids);
    }
}

/// A copy of `element` with every `href="#id"` replaced by the referenced element's content.
/// `depth` stops reference cycles; `budget` bounds the copy in elements and bytes, since one
/// target may be referenced many times.
fn resolve(
    element: &Element,
    ids: &HashMap<String, &Element>,
    depth: usize,
    budget: &mut Budget,
) -> Result<Element, String> {
    if depth == 0 {
        return Err("references are nested too deeply (or form a cycle).".into());
    }
    budget.elements = budget.elements.checked_sub(1).ok_or("references expand to too many elements.")?;
    let source = match element.attribute("href") {
        Some(href) => {
            let id = href.strip_prefix('#').unwrap_or(href);
            ids.get(id).copied().ok_or_else(|| format!("href=\"{href}\" names no element."))?
        }
        None => element,
    };
    let size = source.text.len() + source.attributes.iter().map(|a| a.value.len()).sum::<usize>();
    budget.bytes = budget.bytes.checked_sub(size).ok_or("references expand to too many bytes.")?;
    let mut resolved = Element {
        namespace: element.namespace.clone(),
        local: element.local.clone(),
        attributes: source
            .attributes
            .iter()
            .filter(|a| a.local != "id" && a.local != "href")
            .cloned()
            .collect(),
        children: Vec::with_capacity(source.children.len()),
        text: source.text.clone(),
    };
    for child in &source.children {
        resolved.children.push(resolve(child, ids, depth - 1, budget)?);
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse;

    fn call(document: &str) -> Result<Call, (Version, Error)> {
        read(parse(document, Limits::default()).unwrap(), Version::Soap11, Limits::default(), 1 << 20)
    }

    #[test]
    fn operation_and_params_by_position() {
        let call = call(
            r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Header/><b:Body xmlns:b="http://www.w3.org/2003/05/soap-envelope"><x:login xmlns:x="urn:whatever"><a>CODE</a><b>DATE</b><c>HASH</c></x:login></b:Body></e:Envelope>"#,
        )
        .unwrap();
        assert_eq!(call.version, Version::Soap12);
        assert_eq!(call.operation, "login");
        let texts: Vec<&str> = call.params.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["CODE", "DATE", "HASH"]);
    }

    #[test]
    fn multi_refs_are_resolved() {
        let call = call(
            r##"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
                <ns1:createCustomer xmlns:ns1="urn:order"><sessionID>s</sessionID><Customer href="#id0"/></ns1:createCustomer>
                <multiRef id="id0"><FirstName>John</FirstName><Credit href="#id1"/></multiRef>
                <multiRef id="id1"><Limit>5</Limit></multiRef>
              </S:Body></S:Envelope>"##,
        )
        .unwrap();
        let customer = &call.params[1];
        assert_eq!(customer.local, "Customer");
        assert_eq!(customer.child("FirstName").unwrap().text, "John");
        assert_eq!(customer.child("Credit").unwrap().child("Limit").unwrap().text, "5");
    }

    #[test]
    fn broken_envelopes() {
        let no_body = call(r#"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"/>"#);
        assert!(
            matches!(no_body, Err((Version::Soap11, Error::MalformedRequest(m))) if m.contains("no Body"))
        );
        assert!(
            call(r#"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body/></S:Envelope>"#)
                .is_err()
        );
        assert!(call("<html><body/></html>").is_err());
        let cycle =
            r##"<Envelope><Body><op><p href="#a"/></op><r id="a"><q href="#a"/></r></Body></Envelope>"##;
        assert!(call(cycle).is_err());
        let dangling = r##"<Envelope><Body><op><p href="#nope"/></op></Body></Envelope>"##;
        assert!(call(dangling).is_err());
    }

    #[test]
    fn expansion_is_bounded_in_bytes() {
        let mut document =
            format!(r##"<Envelope><Body><op><p href="#r12"/></op><r id="r0">{}</r>"##, "x".repeat(1000));
        for level in 1..=12 {
            let previous = level - 1;
            document +=
                &format!(r##"<r id="r{level}"><a href="#r{previous}"/><b href="#r{previous}"/></r>"##);
        }
        document += "</Body></Envelope>";
        let root = parse(&document, Limits::default()).unwrap();
        match read(root, Version::Soap11, Limits::default(), 2 * document.len()) {
            Err((_, Error::MalformedRequest(message))) => assert!(message.contains("bytes"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn headers_that_must_be_understood() {
        let envelope = |header: &str| {
            format!(
                r#"<e:Envelope xmlns:e="{SOAP12_ENVELOPE}"><e:Header>{header}</e:Header><e:Body><op/></e:Body></e:Envelope>"#
            )
        };
        let refused = call(&envelope(r#"<t:Tx xmlns:t="urn:tx" e:mustUnderstand="true"/>"#));
        assert!(
            matches!(refused, Err((Version::Soap12, Error::MustUnderstand { ref header, .. })) if header == "Tx")
        );
        for ignored in [
            r#"<t:Tx xmlns:t="urn:tx" e:mustUnderstand="false"/>"#,
            r#"<t:Tx xmlns:t="urn:tx"/>"#,
            r#"<t:Tx xmlns:t="urn:tx" e:mustUnderstand="1" e:role="http://www.w3.org/2003/05/soap-envelope/role/none"/>"#,
        ] {
            assert!(call(&envelope(ignored)).is_ok(), "{ignored}");
        }
    }
}
