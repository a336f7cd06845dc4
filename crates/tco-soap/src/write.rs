//! Responses and faults, written exactly as the WSDL declares them (rpc/literal: the
//! `<opResponse>` wrapper in `urn:order`, an unqualified `<return>` part, unqualified fields in
//! schema order, `xsi:nil` for nulls) and nothing more, for strict clients.

use std::fmt::Write;

use quick_xml::escape::escape;
use tco_core::{Card, Customer, Error, SearchPage};

use crate::envelope::{SOAP11_ENVELOPE, SOAP12_ENVELOPE, Version};
use crate::error::{Fault, FaultClass, fault};
use crate::xml::XSI;

pub const NAMESPACE: &str = "urn:order";

/// What an operation returns.
#[derive(Debug)]
pub enum Reply {
    Text(String),
    Integer(i64),
    Boolean(bool),
    Customer(Box<Customer>),
    Search(SearchPage),
}

fn open(version: Version) -> String {
    let envelope = match version {
        Version::Soap11 => SOAP11_ENVELOPE,
        Version::Soap12 => SOAP12_ENVELOPE,
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="{envelope}" xmlns:ns1="{NAMESPACE}" xmlns:xsi="{XSI}"><env:Body>"#
    )
}

const CLOSE: &str = "</env:Body></env:Envelope>";

pub fn response(version: Version, operation: &str, reply: &Reply) -> String {
    let mut xml = open(version);
    let _ = write!(xml, "<ns1:{operation}Response><return>");
    match reply {
        Reply::Text(text) => xml.push_str(&escape(text.as_str())),
        Reply::Integer(number) => {
            let _ = write!(xml, "{number}");
        }
        Reply::Boolean(flag) => xml.push_str(if *flag { "true" } else { "false" }),
        Reply::Customer(customer) => customer_fields(&mut xml, customer),
        Reply::Search(page) => {
            for customer in &page.items {
                xml.push_str("<Items>");
                customer_fields(&mut xml, customer);
                xml.push_str("</Items>");
            }
            let _ = write!(
                xml,
                "<Pagination><Page>{}</Page><Limit>{}</Limit><Count>{}</Count></Pagination>",
                page.page, page.limit, page.count
            );
        }
    }
    let _ = write!(xml, "</return></ns1:{operation}Response>{CLOSE}");
    xml
}

fn field(xml: &mut String, name: &str, value: Option<&str>) {
    match value {
        Some(value) => {
            let _ = write!(xml, "<{name}>{}</{name}>", escape(value));
        }
        None => {
            let _ = write!(xml, r#"<{name} xsi:nil="true"/>"#);
        }
    }
}

fn customer_fields(xml: &mut String, customer: &Customer) {
    let fields = &customer.fields;
    field(xml, "AvangateCustomerReference", Some(&customer.reference.to_string()));
    field(xml, "ExternalCustomerReference", fields.external_reference.as_deref());
    field(xml, "FirstName", Some(&fields.first_name));
    field(xml, "LastName", Some(&fields.last_name));
    field(xml, "Company", fields.company.as_deref());
    field(xml, "FiscalCode", fields.fiscal_code.as_deref());
    field(xml, "Address1", Some(&fields.address1));
    field(xml, "Address2", fields.address2.as_deref());
    field(xml, "City", Some(&fields.city));
    field(xml, "State", fields.state.as_deref());
    field(xml, "Zip", Some(&fields.zip));
    field(xml, "CountryCode", Some(&fields.country_code));
    field(xml, "Phone", fields.phone.as_deref());
    field(xml, "Fax", fields.fax.as_deref());
    field(xml, "Email", Some(&fields.email));
    for card in &customer.cards {
        xml.push_str("<ExistingCards>");
        card_fields(xml, card);
        xml.push_str("</ExistingCards>");
    }
    field(xml, "Enabled", Some(if customer.enabled { "true" } else { "false" }));
    field(xml, "Trial", Some(if customer.trial { "true" } else { "false" }));
    field(xml, "Language", fields.language.as_deref());
    match &fields.credit {
        Some(credit) => {
            let _ = write!(
                xml,
                "<Credit><Limit>{}</Limit><Remaining>{}</Remaining>",
                credit.limit, credit.remaining
            );
            field(xml, "Currency", Some(&credit.currency));
            xml.push_str("</Credit>");
        }
        None => field(xml, "Credit", None),
    }
}

fn card_fields(xml: &mut String, card: &Card) {
    field(xml, "CardType", Some(&card.card_type));
    field(xml, "LastDigits", Some(&card.last_digits));
    field(xml, "ExpirationMonth", Some(&card.expiration_month));
    field(xml, "ExpirationYear", Some(&card.expiration_year));
    field(xml, "NameOnCard", Some(&card.name_on_card));
    match &card.transient_token {
        Some(token) => {
            let _ = write!(xml, "<TransientToken><Token>{}</Token></TransientToken>", escape(token.as_str()));
        }
        None => field(xml, "TransientToken", None),
    }
}

pub fn fault_envelope(version: Version, error: &Error) -> String {
    let Fault { code, class } = fault(error.code());
    let message = error.to_string();
    let mut xml = open(version);
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
