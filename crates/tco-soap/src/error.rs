//! Core errors as SOAP faults. [`fault`] is the one mapping from the catalogue to SOAP (the
//! SOAP columns of `docs/errors.md`): SOAP 1.1 puts the catalogue code itself in
//! `faultcode`, as the vendor's PHP `SoapServer` does (`INVALID_PARTNER`); SOAP 1.2 needs a
//! standard `Code` (`Sender` or `Receiver`) and carries the catalogue code as its `Subcode`.

use axum::http::StatusCode;
use tco_core::ErrorCode;

use crate::envelope::Version;

/// Who is at fault: the SOAP 1.1 `Client`/`Server` and SOAP 1.2 `Sender`/`Receiver` classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultClass {
    Sender,
    Receiver,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    /// SOAP 1.1 `faultcode`; SOAP 1.2 `Subcode/Value`.
    pub code: &'static str,
    pub class: FaultClass,
}

pub fn fault(code: ErrorCode) -> Fault {
    let class = if code.is_server_fault() { FaultClass::Receiver } else { FaultClass::Sender };
    match code {
        // SOAP's own code, in the envelope namespace, as SOAP 1.1 §4.4.1 and 1.2 §5.4.6 require.
        ErrorCode::MustUnderstand => Fault { code: "env:MustUnderstand", class },
        _ => Fault { code: code.as_str(), class },
    }
}

/// SOAP 1.1 answers every fault with 500; SOAP 1.2's HTTP binding answers sender faults with
/// 400. Transport refusals (wrong method or media type, a body over the limit) keep their own
/// status.
pub fn http_status(version: Version, code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::RequestTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        _ if version == Version::Soap12 && fault(code).class == FaultClass::Sender => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
