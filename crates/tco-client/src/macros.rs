//! The models' declaration: the vendor's names on the wire, nothing sent for what is unset.

/// Declares a model: the vendor's PascalCase names, every field optional, nothing sent for a
/// field left `None` or empty.
macro_rules! model {
    ($(#[$doc:meta])* pub struct $name:ident { $($field:ident: $type:ty => $wire:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        pub struct $name {
            $(
                #[serde(rename = $wire, default, skip_serializing_if = "crate::macros::Skip::skip")]
                pub $field: $type,
            )*
        }
    };
}

/// What a request leaves out.
pub(crate) trait Skip {
    fn skip(&self) -> bool;
}

impl<T> Skip for Option<T> {
    fn skip(&self) -> bool {
        self.is_none()
    }
}

impl<T> Skip for Vec<T> {
    fn skip(&self) -> bool {
        self.is_empty()
    }
}
