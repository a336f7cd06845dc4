//! Response envelopes and faults, written exactly as the WSDL declares them (rpc/encoded: the
//! `<opResponse>` wrapper in `urn:order` around the unqualified `<return>` part that
//! [`crate::ser`] writes) and nothing more, for strict clients.

use std::fmt::Write;

use quick_xml::escape::escape;
use tco_core::Error;

use crate::envelope::{SOAP11_ENVELOPE, SOAP12_ENVELOPE, Version};
use crate::error::{Fault, FaultClass, fault};
use crate::wsdl::SOAP_ENCODING;
use crate::xml::XSI;

pub const NAMESPACE: &str = "urn:order";

fn open(version: Version) -> String {
    let envelope = match version {
        Version::Soap11 => SOAP11_ENVELOPE,
        Version::Soap12 => SOAP12_ENVELOPE,
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="{envelope}" xmlns:ns1="{NAMESPACE}" xmlns:xsi="{XSI}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:SOAP-ENC="{SOAP_ENCODING}"><env:Body>"#
    )
}

const CLOSE: &str = "</env:Body></env:Envelope>";

/// The response envelope of `operation` around its `<return>` part.
pub fn response(version: Version, operation: &str, part: &str) -> String {
    let mut xml = open(version);
    let _ = write!(xml, "<ns1:{operation}Response>{part}</ns1:{operation}Response>{CLOSE}");
    xml
}

pub fn fault_envelope(version: Version, error: &Error) -> String {
    let Fault { code, class } = fault(error.code());
    let message = error.to_string();
    let mut xml = open(version);
    if let (Version::Soap12, Error::MustUnderstand { header, namespace }) = (version, error) {
        // SOAP 1.2 §5.4.8: name each header that was not understood, before the Body.
        let not_understood = format!(
            r#"<env:Header><env:NotUnderstood qname="h:{}" xmlns:h="{}"/></env:Header><env:Body>"#,
            escape(header.as_str()),
            escape(namespace.as_str())
        );
        xml = xml.replace("<env:Body>", &not_understood);
        let _ = write!(
            xml,
            "<env:Fault><env:Code><env:Value>env:MustUnderstand</env:Value></env:Code><env:Reason>\
             <env:Text xml:lang=\"en\">{}</env:Text></env:Reason></env:Fault>{CLOSE}",
            escape(message.as_str())
        );
        return xml;
    }
    match version {
        Version::Soap11 => {
            let _ = write!(
                xml,
                "<env:Fault><faultcode>{code}</faultcode><faultstring>{}</faultstring></env:Fault>",
                escape(message.as_str())
            );
        }
        Version::Soap12 => {
            let class = match class {
                FaultClass::Sender => "env:Sender",
                FaultClass::Receiver => "env:Receiver",
            };
            let _ = write!(
                xml,
                "<env:Fault><env:Code><env:Value>{class}</env:Value><env:Subcode><env:Value>{code}</env:Value>\
                 </env:Subcode></env:Code><env:Reason><env:Text xml:lang=\"en\">{}</env:Text></env:Reason>\
                 <env:Detail><error_code>{code}</error_code></env:Detail></env:Fault>",
                escape(message.as_str())
            );
        }
    }
    xml.push_str(CLOSE);
    xml
}
