//! Typed reading of parameters and structures, whatever the client's style: with or without
//! `xsi:type`, literal or encoded, stdClass or associative array (Apache `Map` items), `xsi:nil`
//! or a missing element for null. Errors name the parameter or field.

use tco_core::{CreditInput, CustomerInput, Error, SearchInput};

use crate::xml::Element;

/// An operation's parameters, bound by position.
#[derive(Debug)]
pub(crate) struct Params<'a> {
    elements: &'a [Element],
    names: &'static [&'static str],
}

impl<'a> Params<'a> {
    pub(crate) fn new(elements: &'a [Element], names: &'static [&'static str]) -> Self {
        Params { elements, names }
    }

    fn name(&self, index: usize) -> String {
        format!("parameter {} ({})", index + 1, self.names.get(index).copied().unwrap_or("?"))
    }

    fn given(&self, index: usize) -> Option<&'a Element> {
        self.elements.get(index).filter(|element| !element.is_nil())
    }

    pub(crate) fn string(&self, index: usize) -> Result<Option<String>, Error> {
        self.given(index).map(|element| scalar(element, &self.name(index))).transpose()
    }

    pub(crate) fn required_string(&self, index: usize) -> Result<String, Error> {
        self.string(index)?
            .ok_or_else(|| Error::MalformedRequest(format!("{} is missing.", self.name(index))))
    }

    pub(crate) fn integer(&self, index: usize) -> Result<Option<i64>, Error> {
        self.given(index).map(|element| integer(element, &self.name(index))).transpose().map(Option::flatten)
    }

    pub(crate) fn boolean(&self, index: usize) -> Result<Option<bool>, Error> {
        self.given(index).map(|element| boolean(element, &self.name(index))).transpose().map(Option::flatten)
    }

    pub(crate) fn structure(&self, index: usize) -> Result<Option<Fields<'a>>, Error> {
        self.given(index).map(|element| Fields::of(element, self.name(index))).transpose()
    }
}

fn scalar(element: &Element, name: &str) -> Result<String, Error> {
    if element.children.is_empty() {
        Ok(element.text.clone())
    } else {
        Err(Error::MalformedRequest(format!("{name} must be a simple value, not a structure.")))
    }
}

fn integer(element: &Element, name: &str) -> Result<Option<i64>, Error> {
    parsed(element, name, "an integer")
}

fn number(element: &Element, name: &str) -> Result<Option<f64>, Error> {
    parsed(element, name, "a number")
}

/// A simple value parsed as `T`; empty text counts as absent.
fn parsed<T: std::str::FromStr>(element: &Element, name: &str, kind: &str) -> Result<Option<T>, Error> {
    let text = scalar(element, name)?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| Error::MalformedRequest(format!("{name} must be {kind}, not \"{text}\".")))
}

fn boolean(element: &Element, name: &str) -> Result<Option<bool>, Error> {
    let text = scalar(element, name)?;
    match text.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "true" | "1" => Ok(Some(true)),
        "false" | "0" => Ok(Some(false)),
        other => Err(Error::MalformedRequest(format!("{name} must be true or false, not \"{other}\"."))),
    }
}

/// The fields of a structure, by case-insensitive name.
#[derive(Debug)]
pub(crate) struct Fields<'a> {
    fields: Vec<(&'a str, &'a Element)>,
    name: String,
}

impl<'a> Fields<'a> {
    fn of(element: &'a Element, name: String) -> Result<Self, Error> {
        if element.children.is_empty() && !element.text.trim().is_empty() {
            return Err(Error::MalformedRequest(format!("{name} must be a structure, not a simple value.")));
        }
        let is_map = !element.children.is_empty()
            && element.children.iter().all(|item| item.local == "item" && item.child("key").is_some());
        let fields = if is_map {
            // An associative array sent without a WSDL: <item><key>Name</key><value>…</value></item>.
            element
                .children
                .iter()
                .filter_map(|item| Some((item.child("key")?.text.as_str(), item.child("value")?)))
                .collect()
        } else {
            element.children.iter().map(|child| (child.local.as_str(), child)).collect()
        };
        Ok(Fields { fields, name })
    }

    fn get(&self, field: &str) -> Option<&'a Element> {
        self.fields
            .iter()
            .find(|(name, _)| name.trim().eq_ignore_ascii_case(field))
            .map(|(_, element)| *element)
            .filter(|element| !element.is_nil())
    }

    fn label(&self, field: &str) -> String {
        format!("{}: {field}", self.name)
    }

    pub(crate) fn text(&self, field: &str) -> Result<Option<String>, Error> {
        self.get(field).map(|element| scalar(element, &self.label(field))).transpose()
    }

    pub(crate) fn integer(&self, field: &str) -> Result<Option<i64>, Error> {
        self.get(field).map(|element| integer(element, &self.label(field))).transpose().map(Option::flatten)
    }

    pub(crate) fn number(&self, field: &str) -> Result<Option<f64>, Error> {
        self.get(field).map(|element| number(element, &self.label(field))).transpose().map(Option::flatten)
    }

    pub(crate) fn boolean(&self, field: &str) -> Result<Option<bool>, Error> {
        self.get(field).map(|element| boolean(element, &self.label(field))).transpose().map(Option::flatten)
    }

    pub(crate) fn structure(&self, field: &str) -> Result<Option<Fields<'a>>, Error> {
        self.get(field).map(|element| Fields::of(element, self.label(field))).transpose()
    }
}

/// The vendor's Customer. `Enabled`, `Trial` and `ExistingCards` are read-only and ignored.
pub(crate) fn customer(fields: &Fields<'_>) -> Result<CustomerInput, Error> {
    let credit = fields
        .structure("Credit")?
        .map(|credit| {
            Ok::<_, Error>(CreditInput {
                limit: credit.number("Limit")?,
                remaining: credit.number("Remaining")?,
                currency: credit.text("Currency")?,
            })
        })
        .transpose()?;
    Ok(CustomerInput {
        avangate_reference: fields.integer("AvangateCustomerReference")?,
        external_reference: fields.text("ExternalCustomerReference")?,
        first_name: fields.text("FirstName")?,
        last_name: fields.text("LastName")?,
        company: fields.text("Company")?,
        fiscal_code: fields.text("FiscalCode")?,
        address1: fields.text("Address1")?,
        address2: fields.text("Address2")?,
        city: fields.text("City")?,
        state: fields.text("State")?,
        zip: fields.text("Zip")?,
        country_code: fields.text("CountryCode")?,
        phone: fields.text("Phone")?,
        fax: fields.text("Fax")?,
        email: fields.text("Email")?,
        language: fields.text("Language")?,
        credit,
    })
}

pub(crate) fn search_options(fields: &Fields<'_>) -> Result<SearchInput, Error> {
    let pagination = fields.structure("Pagination")?;
    Ok(SearchInput {
        email: fields.text("Email")?,
        phone: fields.text("Phone")?,
        country_code: fields.text("CountryCode")?,
        language: fields.text("Language")?,
        trial: fields.boolean("Trial")?,
        status: fields.text("Status")?,
        page: pagination.as_ref().map(|p| p.integer("Page")).transpose()?.flatten(),
        limit: pagination.as_ref().map(|p| p.integer("Limit")).transpose()?.flatten(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{Limits, parse};

    fn element(xml: &str) -> Element {
        parse(xml, Limits::default()).unwrap()
    }

    #[test]
    fn scalars() {
        let root = element(
            r#"<op><a xsi:type="xsd:string">x</a><b> 42 </b><c xsi:nil="true"/><d>true</d><e/></op>"#,
        );
        let params = Params::new(&root.children, &["a", "b", "c", "d", "e", "f"]);
        assert_eq!(params.string(0).unwrap().as_deref(), Some("x"));
        assert_eq!(params.integer(1).unwrap(), Some(42));
        assert_eq!(params.string(2).unwrap(), None);
        assert_eq!(params.boolean(3).unwrap(), Some(true));
        assert_eq!(params.integer(4).unwrap(), None);
        assert_eq!(params.string(5).unwrap(), None);
        let Err(Error::MalformedRequest(message)) = params.integer(0) else { panic!() };
        assert_eq!(message, "parameter 1 (a) must be an integer, not \"x\".");
        assert!(params.required_string(5).is_err());
    }

    #[test]
    fn customers_from_objects_and_maps() {
        let object = element(
            "<Customer><avangatecustomerreference>7</avangatecustomerreference><FirstName>John</FirstName>\
             <Company xsi:nil=\"true\"/><Credit><Limit>51.0</Limit><Currency>EUR</Currency></Credit>\
             <Enabled>true</Enabled><ExistingCards/></Customer>",
        );
        let map = element(
            "<Customer><item><key>AvangateCustomerReference</key><value>7</value></item>\
             <item><key>FirstName</key><value>John</value></item>\
             <item><key>Credit</key><value><item><key>Limit</key><value>51</value></item>\
             <item><key>Currency</key><value>EUR</value></item></value></item></Customer>",
        );
        for root in [object, map] {
            let fields = Fields::of(&root, "Customer".into()).unwrap();
            let input = customer(&fields).unwrap();
            assert_eq!(input.avangate_reference, Some(7));
            assert_eq!(input.first_name.as_deref(), Some("John"));
            assert_eq!(input.company, None);
            let credit = input.credit.unwrap();
            assert_eq!((credit.limit, credit.currency.as_deref()), (Some(51.0), Some("EUR")));
        }
    }

    #[test]
    fn wrong_shapes_name_the_field() {
        let root = element("<op><s>x</s><Customer><FirstName><x/></FirstName></Customer></op>");
        let params = Params::new(&root.children, &["sessionID", "Customer"]);
        let Err(Error::MalformedRequest(message)) = params.structure(0) else { panic!() };
        assert!(message.contains("parameter 1 (sessionID) must be a structure"), "{message}");
        let fields = params.structure(1).unwrap().unwrap();
        let Err(Error::MalformedRequest(message)) = customer(&fields) else { panic!() };
        assert_eq!(message, "parameter 2 (Customer): FirstName must be a simple value, not a structure.");
    }
}
