//! The WSDL, generated from the operation registry: rpc/encoded as PHP's own SOAP server (the
//! vendor's) writes it, one message part per positional parameter, the vendor's objects as
//! complex types whose fields are all optional and nillable (clients send `null` for what they
//! leave unset), and every list a SOAP-encoded array (`soapenc:Array` with its
//! `wsdl:arrayType`): PHP's `SoapClient` reads those as PHP arrays, with one element or many,
//! which is what merchants' code indexes and loops over. Each array type also declares its
//! `item` elements, so that zeep and suds type the items. The one import, the SOAP encoding
//! schema, is the gateway's own copy ([`SOAP_ENCODING_SCHEMA`], `?xsd=soapenc`), so clients that
//! load every schema (zeep) need no network.
//!
//! Two variants: [`Bindings::Soap11`] is what `?wsdl` serves — a PHP-served vendor WSDL declares
//! SOAP 1.1 only, and gSOAP-generated code given a SOAP 1.2 binding switches to 1.2 and sees
//! `Sender` where code written against the vendor expects the catalogue code — and
//! [`Bindings::Both`] adds the SOAP 1.2 binding, served at `?wsdl12`. Both versions of requests
//! are answered either way. `{{LOCATION}}` stands for the endpoint address.

use std::collections::BTreeMap;
use std::fmt::Write;

use quick_xml::escape::escape;
use tco_api::{Descriptor, Object, Shape};

use crate::write::NAMESPACE;

/// SOAP 1.1's encoding, whose arrays the WSDL's lists are.
pub const SOAP_ENCODING: &str = "http://schemas.xmlsoap.org/soap/encoding/";
const SOAP12_ENCODING: &str = "http://www.w3.org/2003/05/soap-encoding";

/// The parts of the SOAP 1.1 encoding schema the WSDL refers to (arrays), served at
/// `?xsd=soapenc` and imported from there, so that clients that load every schema need no
/// network.
pub const SOAP_ENCODING_SCHEMA: &str = r###"<?xml version="1.0" encoding="UTF-8"?>
<!-- tco-gateway: what its WSDL uses of the SOAP 1.1 encoding (http://schemas.xmlsoap.org/soap/encoding/):
     arrays. Nothing here refers to its own namespace, so that no client goes looking for the original. -->
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="http://schemas.xmlsoap.org/soap/encoding/">
  <xsd:attribute name="arrayType" type="xsd:string"/>
  <xsd:attribute name="offset" type="xsd:string"/>
  <xsd:complexType name="Array">
    <xsd:sequence>
      <xsd:any namespace="##any" minOccurs="0" maxOccurs="unbounded" processContents="lax"/>
    </xsd:sequence>
    <xsd:anyAttribute namespace="##any" processContents="lax"/>
  </xsd:complexType>
</xsd:schema>
"###;

/// Which bindings the WSDL declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bindings {
    Soap11,
    Both,
}

/// The WSDL for these operations (the positional ones).
pub fn generate(descriptors: &[Descriptor], bindings: Bindings) -> String {
    let operations: Vec<&Descriptor> = descriptors.iter().filter(|operation| operation.positional).collect();
    let mut types = Types::default();
    let mut messages = String::new();
    for operation in &operations {
        let _ = write!(messages, r#"  <message name="{}Request">"#, operation.name);
        for field in operation.params.fields {
            let _ = write!(messages, r#"<part name="{}" type="{}"/>"#, field.name, types.part(field.shape));
        }
        let _ = writeln!(
            messages,
            r#"</message>
  <message name="{0}Response"><part name="return" type="{1}"/></message>"#,
            operation.name,
            types.part(operation.output)
        );
    }
    // Only what the document uses: gSOAP's wsdl2h switches generated code to SOAP 1.2 on the
    // namespace's declaration alone.
    let soap12 = match bindings {
        Bindings::Soap11 => "",
        Bindings::Both => "\n    xmlns:soap12=\"http://schemas.xmlsoap.org/wsdl/soap12/\"",
    };
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- tco-gateway: the 2Checkout (Avangate) API 6.0 over SOAP, rpc/encoded. Generated from the
     operation registry (crates/tco-api); do not edit. The addresses below are rewritten per
     request to the Host the WSDL was asked from. Parameters are bound by position, as the
     vendor's samples call them: $client->login($merchantCode, $date, $hash[, $algo]). -->
<definitions name="tco-gateway"
    targetNamespace="{NAMESPACE}"
    xmlns:tns="{NAMESPACE}"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"{soap12}
    xmlns:soapenc="{SOAP_ENCODING}"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns="http://schemas.xmlsoap.org/wsdl/">
  <types>
    <xsd:schema targetNamespace="{NAMESPACE}" elementFormDefault="unqualified">
      <xsd:import namespace="{SOAP_ENCODING}" schemaLocation="{{{{LOCATION}}}}?xsd=soapenc"/>
"#
    );
    xml.push_str(&types.schema());
    xml.push_str("    </xsd:schema>\n  </types>\n");
    xml.push_str(&messages);
    xml.push_str("  <portType name=\"OrderPortType\">\n");
    for operation in &operations {
        let documentation = operation.doc.trim();
        let _ = write!(xml, r#"    <operation name="{}">"#, operation.name);
        if !documentation.is_empty() {
            let _ = write!(xml, "<documentation>{}</documentation>", escape(documentation));
        }
        let _ = writeln!(
            xml,
            r#"<input message="tns:{0}Request"/><output message="tns:{0}Response"/></operation>"#,
            operation.name
        );
    }
    xml.push_str("  </portType>\n");
    let prefixes: &[(&str, &str, &str)] = match bindings {
        Bindings::Soap11 => &[("OrderBinding", "soap", SOAP_ENCODING)],
        Bindings::Both => {
            &[("OrderBinding", "soap", SOAP_ENCODING), ("OrderBinding12", "soap12", SOAP12_ENCODING)]
        }
    };
    for (binding, prefix, encoding) in prefixes {
        let _ = writeln!(
            xml,
            r#"  <binding name="{binding}" type="tns:OrderPortType">
    <{prefix}:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>"#
        );
        for operation in &operations {
            let _ = writeln!(
                xml,
                r#"    <operation name="{0}">
      <{prefix}:operation soapAction="{NAMESPACE}#{0}" style="rpc"/>
      <input><{prefix}:body use="encoded" encodingStyle="{encoding}" namespace="{NAMESPACE}"/></input>
      <output><{prefix}:body use="encoded" encodingStyle="{encoding}" namespace="{NAMESPACE}"/></output>
    </operation>"#,
                operation.name
            );
        }
        xml.push_str("  </binding>\n");
    }
    xml.push_str("  <service name=\"OrderService\">\n");
    xml.push_str(r#"    <port name="OrderPort" binding="tns:OrderBinding"><soap:address location="{{LOCATION}}"/></port>"#);
    xml.push('\n');
    if bindings == Bindings::Both {
        xml.push_str(
            r#"    <port name="OrderPort12" binding="tns:OrderBinding12"><soap12:address location="{{LOCATION}}"/></port>"#,
        );
        xml.push('\n');
    }
    xml.push_str("  </service>\n</definitions>\n");
    xml
}

/// The complex types the messages need, by name.
#[derive(Default)]
struct Types {
    objects: BTreeMap<&'static str, &'static Object>,
    /// Array types of parts and results (`ArrayOfString`), with their item type.
    arrays: BTreeMap<String, String>,
    order: Vec<String>,
}

impl Types {
    /// The type of a part or a result.
    fn part(&mut self, shape: Shape) -> String {
        self.element(shape)
    }

    /// A list's type: a SOAP-encoded array of its items' type (`ArrayOfString`).
    fn array(&mut self, item: Shape) -> String {
        let item_type = self.element(item);
        let name = array_name(&item_type);
        if !self.arrays.contains_key(&name) {
            self.order.push(name.clone());
        }
        self.arrays.insert(name.clone(), item_type);
        format!("tns:{name}")
    }

    /// The type of an element, registering the objects it needs.
    fn element(&mut self, shape: Shape) -> String {
        match shape.required() {
            Shape::String | Shape::Reference | Shape::Enum(_) => "xsd:string".into(),
            Shape::Integer => "xsd:int".into(),
            Shape::Number => "xsd:double".into(),
            Shape::Decimal => "xsd:decimal".into(),
            Shape::Boolean => "xsd:boolean".into(),
            Shape::Array(item) => self.array(*item),
            Shape::Object(object) => {
                if !self.objects.contains_key(object.name) {
                    self.objects.insert(object.name, object);
                    self.order.push(object.name.to_owned());
                    for field in object.fields {
                        self.element(field.shape);
                    }
                }
                format!("tns:{}", object.name)
            }
            Shape::Nullable(inner) => self.element(*inner),
            Shape::OneOf(shapes) => {
                for shape in shapes {
                    self.element(*shape);
                }
                "xsd:anyType".into()
            }
        }
    }

    fn schema(&mut self) -> String {
        let mut xml = String::new();
        for name in self.order.clone() {
            if let Some(object) = self.objects.get(name.as_str()).copied() {
                let documentation = object.description().replace("--", "- -");
                if !documentation.is_empty() {
                    let _ = writeln!(xml, "      <!-- {documentation} -->");
                }
                let _ = writeln!(xml, "      <xsd:complexType name=\"{name}\">\n        <xsd:sequence>");
                for field in object.fields {
                    let element = self.element(field.shape);
                    let _ = writeln!(
                        xml,
                        r#"          <xsd:element name="{}" type="{element}" minOccurs="0" nillable="true"/>"#,
                        field.name
                    );
                }
                xml.push_str("        </xsd:sequence>\n      </xsd:complexType>\n");
            } else if let Some(item) = self.arrays.get(&name) {
                let _ = writeln!(
                    xml,
                    r#"      <xsd:complexType name="{name}">
        <xsd:complexContent>
          <xsd:restriction base="soapenc:Array">
            <xsd:sequence>
              <xsd:element name="item" type="{item}" minOccurs="0" maxOccurs="unbounded"/>
            </xsd:sequence>
            <xsd:attribute ref="soapenc:arrayType" wsdl:arrayType="{item}[]"/>
          </xsd:restriction>
        </xsd:complexContent>
      </xsd:complexType>"#
                );
            }
        }
        xml
    }
}

/// The array type of items of `item_type` (`xsd:string` → `ArrayOfString`).
pub(crate) fn array_name(item_type: &str) -> String {
    format!("ArrayOf{}", capitalised(item_type.rsplit(':').next().unwrap_or_default()))
}

fn capitalised(name: &str) -> String {
    let mut characters = name.chars();
    characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
}
