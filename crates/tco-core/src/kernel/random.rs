//! The [`RandomSource`] port every token, code and reference is drawn from: the operating
//! system's generator in production, a counter in tests.

use std::fmt;
use std::sync::Mutex;

/// The source of session ids and tokens.
pub trait RandomSource: Send + Sync + fmt::Debug {
    fn fill(&self, buffer: &mut [u8]) -> Result<(), RandomError>;
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("the random source failed: {0}")]
pub struct RandomError(pub String);

/// The operating system's cryptographically secure generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRandom;

impl RandomSource for OsRandom {
    fn fill(&self, buffer: &mut [u8]) -> Result<(), RandomError> {
        getrandom::fill(buffer).map_err(|error| RandomError(error.to_string()))
    }
}

/// A deterministic source for tests: a counter, so every value differs and is predictable.
#[derive(Debug, Default)]
pub struct CountingRandom(Mutex<u64>);

impl RandomSource for CountingRandom {
    fn fill(&self, buffer: &mut [u8]) -> Result<(), RandomError> {
        let mut counter = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *counter += 1;
        let bytes = counter.to_be_bytes();
        for (index, byte) in buffer.iter_mut().enumerate() {
            *byte = bytes[index % bytes.len()] ^ (index as u8);
        }
        Ok(())
    }
}
