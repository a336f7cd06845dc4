//! [`vendor_enum!`]: the vendor's enumerations, declared once with their wire names.

/// A vendor enumeration: its wire names, and parsing that ignores case (and accepts aliases).
macro_rules! vendor_enum {
    (
        $(#[$doc:meta])*
        pub enum $name:ident { $($(#[$marker:meta])* $variant:ident = $text:literal $(| $alias:literal)*),* $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($(#[$marker])* $variant),* }

        impl $name {
            pub const NAMES: &'static [&'static str] = &[$($text),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(text: &str) -> Option<Self> {
                let text = text.trim();
                $(
                    if text.eq_ignore_ascii_case($text) $(|| text.eq_ignore_ascii_case($alias))* {
                        return Some($name::$variant);
                    }
                )*
                None
            }
        }
    };
}
