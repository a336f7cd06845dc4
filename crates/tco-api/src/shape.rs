//! What a wire value looks like, for the contracts (WSDL, OpenAPI, OpenRPC) and for binding
//! parameters by position. Every vendor object is declared with [`wire_object!`], which writes
//! the serde struct and its [`Describe`] together, so a contract cannot drift from the code.

/// The shape of a value on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    String,
    Integer,
    /// An integer that SOAP carries as `xsd:string`, as the vendor's SOAP answers carry references.
    Reference,
    Number,
    /// An amount of money: `xsd:decimal`, a JSON number.
    Decimal,
    Boolean,
    Object(&'static Object),
    Array(&'static Shape),
    Nullable(&'static Shape),
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// A value of one of these shapes (an item's price option: a code or an option group). SOAP
    /// carries it as `xsd:anyType`.
    OneOf(&'static [Shape]),
}

/// A vendor object: its name in the contracts and its fields, in wire order.
#[derive(Debug, PartialEq, Eq)]
pub struct Object {
    pub name: &'static str,
    pub doc: &'static str,
    pub fields: &'static [Field],
}

impl Object {
    /// The doc comment's lines as one paragraph.
    pub fn description(&self) -> String {
        self.doc.lines().map(str::trim).filter(|line| !line.is_empty()).collect::<Vec<_>>().join(" ")
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
}

/// Implemented by every type that travels on the wire.
pub trait Describe {
    const SHAPE: Shape;
}

impl Describe for String {
    const SHAPE: Shape = Shape::String;
}

impl Describe for bool {
    const SHAPE: Shape = Shape::Boolean;
}

impl Describe for i64 {
    const SHAPE: Shape = Shape::Integer;
}

impl Describe for u32 {
    const SHAPE: Shape = Shape::Integer;
}

impl Describe for u64 {
    const SHAPE: Shape = Shape::Integer;
}

impl Describe for f64 {
    const SHAPE: Shape = Shape::Number;
}

impl<T: Describe> Describe for Option<T> {
    const SHAPE: Shape = Shape::Nullable(&T::SHAPE);
}

impl<T: Describe> Describe for Vec<T> {
    const SHAPE: Shape = Shape::Array(&T::SHAPE);
}

impl Shape {
    /// The shape without its nullability.
    pub fn required(self) -> Shape {
        match self {
            Shape::Nullable(inner) => inner.required(),
            other => other,
        }
    }
}

/// Declares a vendor object: a serde struct whose field names are the vendor's (PascalCase,
/// written as Rust identifiers), every field optional on input (`#[serde(default)]`), plus its
/// [`Describe`] under the name the contracts give it.
#[macro_export]
macro_rules! wire_object {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident as $wire:literal {
            $( $(#[$attribute:meta])* $field:ident : $type:ty ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        #[allow(non_snake_case)]
        pub struct $name {
            $( $(#[$attribute])* pub $field: $type, )*
        }

        impl $name {
            /// The object as the contracts describe it.
            pub const OBJECT: $crate::Object = $crate::Object {
                name: $wire,
                doc: concat!($($doc, "\n",)* ""),
                fields: &[ $( $crate::Field { name: stringify!($field), shape: <$type as $crate::Describe>::SHAPE }, )* ],
            };
        }

        impl $crate::Describe for $name {
            const SHAPE: $crate::Shape = $crate::Shape::Object(&$name::OBJECT);
        }
    };
}

/// Declares an operation's parameters: like [`wire_object!`], with the session id as the first
/// part, and [`crate::Parameters`]. Fields in a trailing `rest { … }` block are filled by REST
/// routes only: they are not parts and travel in no contract.
#[macro_export]
macro_rules! wire_params {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident as $wire:literal {
            $( $(#[$attribute:meta])* $field:ident : $type:ty $(= $source:ident $(( $($argument:literal),* ))? )? ),* $(,)?
        }
        $( rest { $( $(#[$rest_attribute:meta])* $rest_field:ident : $rest_type:ty
            $(= $rest_source:ident $(( $($rest_argument:literal),* ))? )? ),* $(,)? } )?
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        #[allow(non_snake_case)]
        pub struct $name {
            /// The session id `login` returned.
            pub sessionID: Option<String>,
            $( $(#[$attribute])* pub $field: $type, )*
            $($( $(#[$rest_attribute])* #[serde(skip)] pub $rest_field: $rest_type, )*)?
        }

        impl $name {
            pub const OBJECT: $crate::Object = $crate::Object {
                name: $wire,
                doc: concat!($($doc, "\n",)* ""),
                fields: &[
                    $crate::Field { name: "sessionID", shape: $crate::Shape::String },
                    $( $crate::Field { name: stringify!($field), shape: <$type as $crate::Describe>::SHAPE }, )*
                ],
            };
        }

        impl $crate::Describe for $name {
            const SHAPE: $crate::Shape = $crate::Shape::Object(&$name::OBJECT);
        }

        impl $crate::Parameters for $name {
            fn session_id(&self) -> Option<&str> {
                Some(self.sessionID.as_deref().unwrap_or_default())
            }

            fn bind_rest(request: &$crate::RestRequest<'_>) -> tco_core::Result<Self> {
                #[allow(unused_mut)]
                let mut params = Self::default();
                $( $( params.$field = $crate::bind::$source(request $($(, $argument)*)?)?; )? )*
                $($( $( params.$rest_field = $crate::bind::$rest_source(request $($(, $rest_argument)*)?)?; )? )*)?
                let _ = request;
                Ok(params)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::wire_object! {
        /// A test object.
        pub struct Sample as "SampleObject" {
            Name: Option<String>,
            Items: Vec<i64>,
        }
    }

    #[test]
    fn objects_describe_themselves() {
        let Shape::Object(object) = Sample::SHAPE else { panic!() };
        assert_eq!(object.name, "SampleObject");
        assert_eq!(object.doc.trim(), "A test object.");
        assert_eq!(object.fields[0], Field { name: "Name", shape: Shape::Nullable(&Shape::String) });
        assert_eq!(object.fields[1].shape, Shape::Array(&Shape::Integer));
    }
}
