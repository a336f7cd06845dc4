//! One page of a search's results as every protocol carries it — `{"Items": […],
//! "Pagination": {"Page", "Limit", "Count"}}`, the vendor's shape — named per item type in the
//! contracts (`CustomerSearchResult`, `OrderSearchResult`…) with [`paged!`].

use serde::{Deserialize, Serialize};

use crate::shape::{Describe, Object, Shape};

crate::wire_object! {
    /// `Count` is the number of matches over all pages.
    pub struct Pagination as "Pagination" {
        Page: Option<i64>,
        Limit: Option<i64>,
        Count: Option<u64>,
    }
}

impl Pagination {
    /// A page's position: its number, its size, and the matches over all pages.
    pub fn of(page: u32, limit: u32, count: u64) -> Self {
        Pagination { Page: Some(i64::from(page)), Limit: Some(i64::from(limit)), Count: Some(count) }
    }

    /// What the journal shows of a page of `shown` items: "10 of 42".
    pub fn summary(pagination: Option<&Pagination>, shown: usize) -> String {
        format!("{shown} of {}", pagination.and_then(|pagination| pagination.Count).unwrap_or_default())
    }
}

/// One page of `T`s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, bound(deserialize = "T: Deserialize<'de>"))]
#[allow(non_snake_case)]
pub struct Page<T> {
    pub Items: Vec<T>,
    pub Pagination: Option<Pagination>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page { Items: Vec::new(), Pagination: None }
    }
}

impl<T> Page<T> {
    /// What the journal shows of it: "10 of 42".
    pub fn summary(&self) -> String {
        Pagination::summary(self.Pagination.as_ref(), self.Items.len())
    }
}

impl<C, T: From<C>> From<tco_core::Page<C>> for Page<T> {
    fn from(page: tco_core::Page<C>) -> Self {
        Page {
            Pagination: Some(Pagination::of(page.page, page.limit, page.count)),
            Items: page.items.into_iter().map(T::from).collect(),
        }
    }
}

/// An item type whose pages have a name of their own in the contracts.
pub trait Paged: Describe {
    const PAGE: &'static Object;
}

impl<T: Paged> Describe for Page<T> {
    const SHAPE: Shape = Shape::Object(T::PAGE);
}

/// Names the page of an item type: `paged!(Customer as "CustomerSearchResult", "One page of
/// customers ordered by reference.");`
#[macro_export]
macro_rules! paged {
    ($item:ty as $name:literal, $doc:literal) => {
        impl $crate::page::Paged for $item {
            const PAGE: &'static $crate::Object = &$crate::Object {
                name: $name,
                doc: $doc,
                fields: &[
                    $crate::Field {
                        name: "Items",
                        shape: $crate::Shape::Array(&<$item as $crate::Describe>::SHAPE),
                    },
                    $crate::Field {
                        name: "Pagination",
                        shape: <Option<$crate::page::Pagination> as $crate::Describe>::SHAPE,
                    },
                ],
            };
        }
    };
}
