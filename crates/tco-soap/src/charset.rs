//! The request body as text. XML may come in UTF-16 (with or without its byte-order mark) or in
//! the encoding its declaration names — PHP's `SoapClient` with `'encoding' => 'ISO-8859-1'`
//! sends Latin-1 — so the body is transcoded before it is parsed: a byte-order mark first, then
//! the declaration, then the `Content-Type` charset, else UTF-8.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use tco_core::Error;

pub(crate) fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Result<Cow<'a, str>, Error> {
    let (encoding, start) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_length)) => (encoding, bom_length),
        None => {
            let encoding = match utf16_without_bom(bytes) {
                Some(encoding) => encoding,
                None => match declared(bytes).or_else(|| charset(content_type)) {
                    Some(label) => Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                        Error::MalformedRequest(format!("the encoding \"{label}\" is not supported."))
                    })?,
                    None => UTF_8,
                },
            };
            (encoding, 0)
        }
    };
    encoding
        .decode_without_bom_handling_and_without_replacement(&bytes[start..])
        .ok_or_else(|| Error::MalformedRequest(format!("the body is not valid {} text.", encoding.name())))
}

/// `<?` in UTF-16 without a byte-order mark (XML 1.0 appendix F).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes.get(..4)? {
        [0x3C, 0x00, 0x3F, 0x00] => Some(UTF_16LE),
        [0x00, 0x3C, 0x00, 0x3F] => Some(UTF_16BE),
        _ => None,
    }
}

/// The `encoding` of an XML declaration in an ASCII-compatible encoding.
fn declared(bytes: &[u8]) -> Option<&str> {
    let head = bytes.strip_prefix(b"<?xml")?;
    let end = head.windows(2).take(256).position(|pair| pair == b"?>")?;
    let declaration = std::str::from_utf8(&head[..end]).ok()?;
    let (_, rest) = declaration.split_once("encoding")?;
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    rest[1..].split(quote).next()
}

fn charset(content_type: Option<&str>) -> Option<&str> {
    content_type?.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_from_bom_declaration_and_header() {
        let text = "<?xml version=\"1.0\"?><r>café</r>";
        let utf16le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&utf16le, None).unwrap(), text);
        let utf16be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&utf16be, None).unwrap(), text);
        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><r>caf\xE9</r>";
        assert_eq!(decode(latin1, None).unwrap(), "<?xml version='1.0' encoding='ISO-8859-1'?><r>café</r>");
        assert_eq!(
            decode(b"<r>caf\xE9</r>", Some("text/xml; charset=\"iso-8859-1\"")).unwrap(),
            "<r>café</r>"
        );
        assert_eq!(decode("\u{FEFF}<r/>".as_bytes(), None).unwrap(), "<r/>");
        assert!(decode(b"<r>caf\xE9</r>", None).is_err(), "not UTF-8");
        assert!(decode(b"<?xml version='1.0' encoding='x-unknown'?><r/>", None).is_err());
    }
}
