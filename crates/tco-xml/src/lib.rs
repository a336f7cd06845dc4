//! `tco-xml` is a small, bounded XML tree for SOAP envelopes, built with quick-xml's
//! namespace-aware reader. The gateway's SOAP adapter reads requests with it and `tco-client`
//! reads responses with it. It depends on quick-xml only: nothing of the gateway.
//!
//! Elements keep their resolved namespace and local name (never their prefix), attributes
//! likewise, and their text. Safety: a DTD or entity declaration is refused, only the five
//! predefined entities and character references are expanded, and depth and element count
//! are bounded, so a hostile body costs bounded time and memory beyond its (already bounded)
//! size.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Bounds on what a request may contain.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: usize,
    pub max_elements: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 32, max_elements: 10_000 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// The namespace, when the prefix was declared (or is `xsi`, often left undeclared).
    pub namespace: Option<String>,
    pub local: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    pub namespace: Option<String>,
    pub local: String,
    pub attributes: Vec<Attribute>,
    pub children: Vec<Element>,
    /// The element's own text (and CDATA), concatenated.
    pub text: String,
}

impl Element {
    /// The first child with this local name, ignoring case and namespace.
    pub fn child(&self, local: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.local.eq_ignore_ascii_case(local))
    }

    /// An attribute by local name, in any namespace (or none).
    pub fn attribute(&self, local: &str) -> Option<&str> {
        self.attributes.iter().find(|a| a.local == local).map(|a| a.value.as_str())
    }

    /// `xsi:nil="true"` (or `1`), whether or not the `xsi` prefix was declared.
    pub fn is_nil(&self) -> bool {
        self.attributes.iter().any(|a| {
            a.local == "nil"
                && a.namespace.as_deref().is_none_or(|ns| ns == XSI)
                && matches!(a.value.trim(), "true" | "1")
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("the XML is not well-formed: {0}")]
    Malformed(String),
    #[error("{0} is not allowed in a SOAP message")]
    Forbidden(&'static str),
    #[error("elements are nested deeper than {0} levels")]
    TooDeep(usize),
    #[error("the message has more than {0} elements")]
    TooManyElements(usize),
}

/// Parses a document and returns its root element.
pub fn parse(document: &str, limits: Limits) -> Result<Element, XmlError> {
    let mut reader = NsReader::from_str(document);
    reader.config_mut().expand_empty_elements = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut elements = 0usize;
    let mut root = None;
    loop {
        let (namespace, event) =
            reader.read_resolved_event().map_err(|error| XmlError::Malformed(error.to_string()))?;
        let namespace = match namespace {
            ResolveResult::Bound(ns) => Some(ns.as_ref().to_owned()),
            _ => None,
        };
        match event {
            Event::Start(start) => {
                elements += 1;
                if elements > limits.max_elements {
                    return Err(XmlError::TooManyElements(limits.max_elements));
                }
                if stack.len() >= limits.max_depth {
                    return Err(XmlError::TooDeep(limits.max_depth));
                }
                if root.is_some() {
                    return Err(XmlError::Malformed("content after the root element".into()));
                }
                let attributes = attributes(&reader, &start)?;
                let local = start.local_name().as_ref().to_owned();
                stack.push(Element { namespace, local, attributes, ..Element::default() });
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(XmlError::Malformed("an end tag without a start".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(text) => push_text(&mut stack, &text.into_inner())?,
            Event::CData(data) => push_text(&mut stack, &data.into_inner())?,
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => predefined_entity(&reference.into_inner())
                        .ok_or(XmlError::Forbidden("an entity other than the five predefined ones"))?,
                    Err(error) => return Err(XmlError::Malformed(error.to_string())),
                };
                push_text(&mut stack, resolved.encode_utf8(&mut [0; 4]))?;
            }
            Event::DocType(_) => return Err(XmlError::Forbidden("a DTD or entity declaration")),
            Event::Empty(_) => {} // never produced: empty elements are expanded
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Malformed("the document ends inside an element".into()));
    }
    root.ok_or_else(|| XmlError::Malformed("the document has no root element".into()))
}

fn push_text(stack: &mut [Element], text: &str) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(element) => {
            element.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(XmlError::Malformed("text outside the root element".into())),
    }
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

fn attributes(reader: &NsReader<&[u8]>, start: &BytesStart<'_>) -> Result<Vec<Attribute>, XmlError> {
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| XmlError::Malformed(error.to_string()))?;
        let key = attribute.key;
        if key.as_namespace_binding().is_some() {
            continue;
        }
        let (resolved, local) = reader.resolver().resolve_attribute(key);
        let local = local.as_ref().to_owned();
        let namespace = match resolved {
            ResolveResult::Bound(ns) => Some(ns.as_ref().to_owned()),
            // Clients often write xsi:type or xsi:nil without declaring xsi.
            ResolveResult::Unknown(prefix) if prefix == "xsi" => Some(XSI.to_owned()),
            _ => None,
        };
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|error| XmlError::Malformed(error.to_string()))?
            .into_owned();
        attributes.push(Attribute { namespace, local, value });
    }
    Ok(attributes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_not_prefixes() {
        let root = parse(
            r#"<a:Envelope xmlns:a="urn:env" xmlns:b="urn:env"><b:Body x="1 &amp; 2">t&lt;&#65;<![CDATA[<c>]]></b:Body></a:Envelope>"#,
            Limits::default(),
        )
        .unwrap();
        assert_eq!((root.namespace.as_deref(), root.local.as_str()), (Some("urn:env"), "Envelope"));
        let body = root.child("body").unwrap();
        assert_eq!(body.namespace.as_deref(), Some("urn:env"));
        assert_eq!(body.text, "t<A<c>");
        assert_eq!(body.attribute("x"), Some("1 & 2"));
    }

    #[test]
    fn undeclared_xsi_prefix_still_means_xsi() {
        let root =
            parse(r#"<r><v xsi:nil="true"/><w xsi:type="xsd:string">x</w></r>"#, Limits::default()).unwrap();
        assert!(root.children[0].is_nil());
        assert!(!root.children[1].is_nil());
        assert_eq!(root.children[1].attributes[0].namespace.as_deref(), Some(XSI));
    }

    #[test]
    fn dtds_and_entities_are_refused() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><r>&lol2;</r>"#;
        assert_eq!(parse(bomb, Limits::default()), Err(XmlError::Forbidden("a DTD or entity declaration")));
        let xxe = r#"<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#;
        assert!(matches!(parse(xxe, Limits::default()), Err(XmlError::Forbidden(_))));
        assert!(matches!(parse("<r>&custom;</r>", Limits::default()), Err(XmlError::Forbidden(_))));
    }

    #[test]
    fn limits_and_malformed_documents() {
        let deep = format!("{}{}", "<a>".repeat(40), "</a>".repeat(40));
        assert_eq!(parse(&deep, Limits::default()), Err(XmlError::TooDeep(32)));
        let wide = format!("<r>{}</r>", "<a/>".repeat(20));
        assert_eq!(
            parse(&wide, Limits { max_depth: 8, max_elements: 10 }),
            Err(XmlError::TooManyElements(10))
        );
        for bad in ["", "<a>", "<a></b>", "<a/><b/>", "text", "<a x='1' x='2'/>"] {
            assert!(matches!(parse(bad, Limits::default()), Err(XmlError::Malformed(_))), "{bad:?}");
        }
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::{Limits, parse};

        fn depth(element: &super::super::Element) -> usize {
            1 + element.children.iter().map(depth).max().unwrap_or(0)
        }

        proptest! {
            #[test]
            fn any_text_parses_or_is_refused_without_panicking(document in any::<String>()) {
                let _ = parse(&document, Limits::default());
            }

            #[test]
            fn xml_like_text_respects_the_limits(
                parts in prop::collection::vec(prop_oneof![
                    Just("<a>"), Just("</a>"), Just("<b x='1'/>"), Just("&amp;"), Just("&lt;"), Just("<![CDATA[<]]>"),
                    Just("text"), Just("<!DOCTYPE a>"), Just("&x;"), Just("<c xmlns:p='urn:p'><p:d/></c>"),
                ], 0..200)
            ) {
                let limits = Limits { max_depth: 8, max_elements: 50 };
                if let Ok(root) = parse(&parts.concat(), limits) {
                    prop_assert!(depth(&root) <= 8);
                }
            }
        }
    }
}
