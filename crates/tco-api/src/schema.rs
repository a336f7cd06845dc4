//! JSON Schemas of the wire shapes, for the OpenAPI (3.0: `nullable`) and OpenRPC (JSON Schema:
//! `null` as a type) documents. Objects are defined once, by name, and referenced.

use serde_json::{Map, Value, json};

use crate::shape::{Object, Shape};

/// How a document spells a null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    OpenApi3,
    JsonSchema,
}

/// The objects' schemas, by name, and where references point to.
#[derive(Debug)]
pub struct Schemas {
    dialect: Dialect,
    prefix: &'static str,
    definitions: Map<String, Value>,
}

impl Schemas {
    /// `prefix` is where definitions live: `#/components/schemas/`.
    pub fn new(dialect: Dialect, prefix: &'static str) -> Self {
        Schemas { dialect, prefix, definitions: Map::new() }
    }

    pub fn definitions(self) -> Map<String, Value> {
        self.definitions
    }

    pub fn define(&mut self, name: &str, schema: Value) {
        self.definitions.insert(name.to_owned(), schema);
    }

    pub fn object(&mut self, object: &'static Object) -> Value {
        if !self.definitions.contains_key(object.name) {
            self.definitions.insert(object.name.into(), Value::Null);
            let properties: Map<String, Value> =
                object.fields.iter().map(|field| (field.name.to_owned(), self.of(field.shape))).collect();
            let schema =
                json!({ "type": "object", "description": object.description(), "properties": properties });
            self.definitions.insert(object.name.into(), schema);
        }
        json!({ "$ref": format!("{}{}", self.prefix, object.name) })
    }

    pub fn of(&mut self, shape: Shape) -> Value {
        match shape {
            Shape::String => json!({ "type": "string" }),
            Shape::Integer | Shape::Reference => json!({ "type": "integer", "format": "int64" }),
            Shape::Number => json!({ "type": "number" }),
            Shape::Decimal => json!({ "type": "number", "format": "decimal" }),
            Shape::Boolean => json!({ "type": "boolean" }),
            Shape::Enum(values) => json!({ "type": "string", "enum": values }),
            Shape::Array(item) => json!({ "type": "array", "items": self.of(*item) }),
            Shape::Object(object) => self.object(object),
            Shape::OneOf(shapes) => {
                json!({ "oneOf": shapes.iter().map(|shape| self.of(*shape)).collect::<Vec<_>>() })
            }
            Shape::Nullable(inner) => {
                let schema = self.of(*inner);
                match (self.dialect, schema) {
                    (Dialect::OpenApi3, Value::Object(mut schema)) if !schema.contains_key("$ref") => {
                        schema.insert("nullable".into(), Value::Bool(true));
                        Value::Object(schema)
                    }
                    (Dialect::OpenApi3, reference) => json!({ "allOf": [reference], "nullable": true }),
                    (Dialect::JsonSchema, schema) => json!({ "oneOf": [schema, { "type": "null" }] }),
                }
            }
        }
    }
}
