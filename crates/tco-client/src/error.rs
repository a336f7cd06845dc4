//! Errors a call can end with. An API error carries the wire's error code string — REST's
//! `error_code`, JSON-RPC's `data.error_code`, SOAP's `faultcode` (or 1.2 `Subcode`) — so one
//! assertion checks the same failure on every transport.

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// The server refused the call.
    #[error("{code}: {message}")]
    Api {
        code: String,
        message: String,
        /// The HTTP status, and the JSON-RPC error code when the transport has one.
        status: u16,
        rpc_code: Option<i64>,
    },
    /// The request could not be sent or the answer not received.
    #[error("transport failure: {0}")]
    Transport(String),
    /// The answer was not what the protocol promises.
    #[error("unexpected answer: {0}")]
    Protocol(String),
    /// The transport has no such operation (the vendor offers it on REST only, say).
    #[error("{0} is not available on this transport")]
    Unsupported(&'static str),
}

impl ClientError {
    /// The API error code (`INVALID_SESSION`, …), if the server answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for ClientError {
    fn from(error: reqwest::Error) -> Self {
        ClientError::Transport(error.to_string())
    }
}

pub type Result<T, E = ClientError> = std::result::Result<T, E>;
