//! The floor every family stands on: the field rules (`fields`), paging, dates that cannot
//! overflow, ISO codes, random tokens and the clock and randomness ports. It knows no family.

pub(crate) mod clock;
pub(crate) mod dates;
pub(crate) mod fields;
pub(crate) mod iso;
pub(crate) mod paging;
pub(crate) mod random;
pub(crate) mod token;
