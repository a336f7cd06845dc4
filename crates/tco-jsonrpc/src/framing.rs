//! JSON-RPC 2.0 framing: a body in, the calls it holds out; answers back into one body.
//!
//! Written for what the vendor's clients send rather than for the letter of the spec alone:
//! ids are echoed byte for byte whatever number they are (`-1`, `1.5`, `2^64`, `1e400`), a call
//! without a `jsonrpc` member is read as 2.0, a UTF-8 byte-order mark is skipped, and a
//! notification is executed (only its answer is dropped). An id of the wrong type (`true`,
//! `{}`, `[]`) makes the call invalid: it is answered with `id: null` and never executed, so a
//! client cannot lose the answer of a call that changed something.

use serde::Deserialize;
use serde_json::value::RawValue;
use tco_core::ErrorCode;

/// The largest batch accepted; a bigger one is refused as a whole.
pub const MAX_BATCH: usize = 200;

/// What a body holds.
#[derive(Debug)]
pub(crate) enum Incoming<'a> {
    Single(Entry<'a>),
    Batch(Vec<Entry<'a>>),
}

/// One entry of a body: a call to run, or the answer to an entry that cannot be run.
#[derive(Debug)]
pub(crate) enum Entry<'a> {
    Call(Call<'a>),
    Invalid { id: Option<&'a RawValue>, error: Refusal },
}

/// Why a body or an entry cannot be run: JSON-RPC's own errors, with the standard codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// -32700: not JSON.
    Parse(String),
    /// -32600: JSON, but not a call.
    Invalid(String),
    /// -32600 too, with the catalogue's REQUEST_TOO_LARGE.
    BatchTooLarge(usize),
}

impl Refusal {
    pub(crate) fn code(&self) -> i32 {
        match self {
            Refusal::Parse(_) => crate::error::PARSE_ERROR,
            Refusal::Invalid(_) | Refusal::BatchTooLarge(_) => crate::error::INVALID_REQUEST,
        }
    }

    pub(crate) fn catalogue_code(&self) -> ErrorCode {
        match self {
            Refusal::Parse(_) | Refusal::Invalid(_) => ErrorCode::MalformedRequest,
            Refusal::BatchTooLarge(_) => ErrorCode::RequestTooLarge,
        }
    }

    pub(crate) fn message(&self) -> String {
        match self {
            Refusal::Parse(detail) => format!("Parse error: {detail}"),
            Refusal::Invalid(detail) => format!("Invalid request: {detail}"),
            Refusal::BatchTooLarge(calls) => {
                format!("Invalid request: a batch of {calls} calls; at most {MAX_BATCH} are accepted.")
            }
        }
    }
}

/// A call to run. `id` is `None` for a notification.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub id: Option<&'a RawValue>,
    pub method: String,
    pub params: Option<&'a RawValue>,
}

/// The members of a request object; a member present with `null` is `Some("null")`, so an
/// `id: null` call (answered) is told apart from a notification (no `id` member).
#[derive(Deserialize)]
struct Members<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    jsonrpc: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    id: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    method: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    params: Option<&'a RawValue>,
}

fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(deserializer).map(Some)
}

/// Reads a body. `Err` is the answer to a body that holds no call at all (not JSON, an empty
/// batch, a batch over [`MAX_BATCH`]), to be sent with `id: null`.
pub(crate) fn parse(body: &[u8]) -> Result<Incoming<'_>, Refusal> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let text = std::str::from_utf8(body).map_err(|_| Refusal::Parse("the body is not UTF-8 text.".into()))?;
    let first = text.trim_start().as_bytes().first().copied();
    if first == Some(b'[') {
        let entries: Vec<&RawValue> = serde_json::from_str(text).map_err(parse_error)?;
        if entries.is_empty() {
            return Err(invalid("an empty batch holds no call"));
        }
        if entries.len() > MAX_BATCH {
            return Err(Refusal::BatchTooLarge(entries.len()));
        }
        Ok(Incoming::Batch(entries.into_iter().map(entry).collect()))
    } else {
        let raw: &RawValue = serde_json::from_str(text).map_err(parse_error)?;
        Ok(Incoming::Single(entry(raw)))
    }
}

fn parse_error(error: serde_json::Error) -> Refusal {
    Refusal::Parse(format!("the body is not valid JSON: {error}."))
}

fn invalid(reason: &str) -> Refusal {
    Refusal::Invalid(format!("{reason}."))
}

fn entry(raw: &RawValue) -> Entry<'_> {
    if !raw.get().starts_with('{') {
        return Entry::Invalid { id: None, error: invalid("a call must be a JSON object") };
    }
    let members: Members<'_> = match serde_json::from_str(raw.get()) {
        Ok(members) => members,
        Err(error) => {
            return Entry::Invalid {
                id: None,
                error: invalid(&format!("the call object is invalid: {error}")),
            };
        }
    };
    let id = members.id;
    if let Some(id) = id
        && !matches!(id.get().as_bytes().first(), Some(b'"' | b'-' | b'0'..=b'9' | b'n'))
    {
        return Entry::Invalid { id: None, error: invalid("id must be a string, a number or null") };
    }
    if let Some(version) = members.jsonrpc
        && version.get() != r#""2.0""#
    {
        return Entry::Invalid { id, error: invalid("jsonrpc must be \"2.0\"") };
    }
    let method = match members.method.map(|raw| serde_json::from_str::<String>(raw.get())) {
        Some(Ok(method)) => method,
        _ => return Entry::Invalid { id, error: invalid("method must be a string") },
    };
    let params = members.params.filter(|raw| raw.get() != "null");
    Entry::Call(Call { id, method, params })
}

/// One answer: `{"jsonrpc":"2.0","id":…,"result":…}` with the id exactly as the call sent it.
/// `result` and `error` are JSON text.
pub(crate) fn success(id: Option<&RawValue>, result: &str) -> String {
    format!(r#"{{"jsonrpc":"2.0","id":{},"result":{result}}}"#, id_text(id))
}

pub(crate) fn failure(id: Option<&RawValue>, error: &str) -> String {
    format!(r#"{{"jsonrpc":"2.0","id":{},"error":{error}}}"#, id_text(id))
}

fn id_text(id: Option<&RawValue>) -> &str {
    id.map_or("null", RawValue::get)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(body: &str) -> Entry<'_> {
        match parse(body.as_bytes()).unwrap() {
            Incoming::Single(entry) => entry,
            Incoming::Batch(_) => panic!("not a single call"),
        }
    }

    #[test]
    fn ids_are_kept_as_written() {
        for id in ["-1", "1.5", "-0", "18446744073709551616", "1e400", "\"x\"", "null"] {
            let body = format!(r#"{{"id":{id},"method":"m"}}"#);
            match single(&body) {
                Entry::Call(call) => assert_eq!(call.id.map(RawValue::get), Some(id)),
                other => panic!("{id}: {other:?}"),
            }
        }
        for id in ["true", "{}", "[]", "false"] {
            let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"m"}}"#);
            assert!(matches!(single(&body), Entry::Invalid { id: None, .. }), "{id}");
        }
    }

    #[test]
    fn members_and_versions() {
        let body = "\u{FEFF}{\"method\":\"login\",\"params\":[\"jsonrpc\"]}";
        match single(body) {
            Entry::Call(call) => {
                assert!(call.id.is_none(), "no id member: a notification");
                assert_eq!(call.params.map(RawValue::get), Some(r#"["jsonrpc"]"#));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(single(r#"{"jsonrpc":"1.0","id":1,"method":"m"}"#), Entry::Invalid { .. }));
        assert!(matches!(single(r#"{"jsonrpc":"2.0","id":1,"method":5}"#), Entry::Invalid { .. }));
        assert!(matches!(single(r#"{"id":1,"id":2,"method":"m"}"#), Entry::Invalid { .. }));
        assert!(matches!(single("5"), Entry::Invalid { id: None, .. }));
    }

    #[test]
    fn bodies_without_calls() {
        assert!(matches!(parse(b"[]"), Err(Refusal::Invalid(_))));
        assert!(matches!(parse(b"{\"id\":"), Err(Refusal::Parse(_))));
        assert!(matches!(parse(b""), Err(Refusal::Parse(_))));
        let big = format!("[{}]", vec![r#"{"method":"m"}"#; MAX_BATCH + 1].join(","));
        assert!(matches!(parse(big.as_bytes()), Err(Refusal::BatchTooLarge(201))));
        let Incoming::Batch(entries) = parse(br#"[{"method":"m","id":1}, 7]"#).unwrap() else { panic!() };
        assert!(matches!(entries[1], Entry::Invalid { id: None, .. }));
    }
}
