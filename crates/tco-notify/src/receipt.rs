//! The read receipt a listener must answer: `<EPAYMENT>DATE|HASH</EPAYMENT>` (MD5) or
//! `<sig algo="sha256|sha3-256" date="DATE">HASH</sig>`, anywhere in its body, the hash over the
//! values the kind names and the receipt's own date. The HTTP status alone proves nothing.

use tco_core::{HashAlgorithm, NotificationKind, SecretKey, hmac_hex};

use crate::signature::serialize;

/// What a listener's answer was worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub accepted: bool,
    /// `accepted`, or why not; warnings follow after `; `.
    pub text: String,
}

impl Verdict {
    fn refused(text: impl Into<String>) -> Self {
        Verdict { accepted: false, text: text.into() }
    }
}

/// The values a receipt's hash covers, before its date: IPN the first product's id and name and
/// `IPN_DATE`; LCN `LICENSE_CODE` and `EXPIRATION_DATE`.
fn receipt_values(kind: NotificationKind, fields: &[(String, String)]) -> Vec<String> {
    let names: &[&str] = match kind {
        NotificationKind::Ipn => &["IPN_PID[]", "IPN_PNAME[]", "IPN_DATE"],
        NotificationKind::Lcn | NotificationKind::Renewal | NotificationKind::Ins => {
            &["LICENSE_CODE", "EXPIRATION_DATE"]
        }
    };
    names
        .iter()
        .map(|name| {
            fields.iter().find(|(field, _)| field == name).map(|(_, value)| value.clone()).unwrap_or_default()
        })
        .collect()
}

/// The hash of a receipt dated `date` (`YmdHis`) with `algo`.
fn receipt_hash(
    secret: &SecretKey,
    kind: NotificationKind,
    fields: &[(String, String)],
    date: &str,
    algo: HashAlgorithm,
) -> String {
    let mut values = receipt_values(kind, fields);
    values.push(date.to_owned());
    hmac_hex(secret, &serialize(values.iter().map(String::as_str)), algo)
}

/// The receipt a listener should answer at `date` (`YmdHis`), with `algo`.
pub fn expected_receipt(
    secret: &SecretKey,
    kind: NotificationKind,
    fields: &[(String, String)],
    date: &str,
    algo: HashAlgorithm,
) -> String {
    let hash = receipt_hash(secret, kind, fields, date, algo);
    match algo {
        HashAlgorithm::Md5 => format!("<EPAYMENT>{date}|{hash}</EPAYMENT>"),
        _ => format!("<sig algo=\"{}\" date=\"{date}\">{hash}</sig>", algo.name()),
    }
}

/// A receipt found in a body: its algorithm as written, date and hash.
struct Found<'a> {
    algo: &'a str,
    date: &'a str,
    hash: &'a str,
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<(&'a str, &'a str)> {
    let from = text.find(start)? + start.len();
    let length = text[from..].find(end)?;
    Some((&text[from..from + length], &text[from + length + end.len()..]))
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let (value, _) = between(tag, &format!("{name}=\""), "\"")?;
    Some(value)
}

fn find(body: &str) -> Option<Found<'_>> {
    if let Some((content, _)) = between(body, "<EPAYMENT>", "</EPAYMENT>") {
        let (date, hash) = content.split_once('|').unwrap_or((content, ""));
        return Some(Found { algo: "md5", date: date.trim(), hash: hash.trim() });
    }
    let (tag, rest) = between(body, "<sig ", ">")?;
    let (hash, _) = between(rest, "", "</sig>")?;
    Some(Found {
        algo: attribute(tag, "algo").unwrap_or(""),
        date: attribute(tag, "date").unwrap_or(""),
        hash: hash.trim(),
    })
}

/// Judges a listener's answer to a message of `kind` with `fields`.
pub fn verdict(
    secret: &SecretKey,
    kind: NotificationKind,
    fields: &[(String, String)],
    body: &str,
) -> Verdict {
    let Some(found) = find(body) else {
        return Verdict::refused(
            "no read receipt (<EPAYMENT>DATE|HASH</EPAYMENT> or <sig algo=… date=…>HASH</sig>) in the answer",
        );
    };
    let mut warnings = Vec::new();
    let algo = match found.algo.to_ascii_lowercase().as_str() {
        "md5" => HashAlgorithm::Md5,
        "sha256" => HashAlgorithm::Sha256,
        "sha3-256" => HashAlgorithm::Sha3_256,
        "sha3_256" => {
            warnings
                .push("algo=\"sha3_256\" is the Python SDK's spelling; the vendor documents \"sha3-256\"");
            HashAlgorithm::Sha3_256
        }
        other => {
            return Verdict::refused(format!(
                "wrong algorithm {other:?}: md5 (EPAYMENT), sha256 or sha3-256"
            ));
        }
    };
    let date_ok = found.date.len() == 14 && found.date.bytes().all(|byte| byte.is_ascii_digit());
    if !date_ok {
        return Verdict::refused(format!(
            "wrong date format {:?}: the receipt's DATE is YmdHis, e.g. 20081117145935",
            found.date
        ));
    }
    if !receipt_hash(secret, kind, fields, found.date, algo).eq_ignore_ascii_case(found.hash) {
        let covered = match kind {
            NotificationKind::Ipn => "IPN_PID[0], IPN_PNAME[0], IPN_DATE and DATE",
            NotificationKind::Lcn | NotificationKind::Renewal | NotificationKind::Ins => {
                "LICENSE_CODE, EXPIRATION_DATE and DATE"
            }
        };
        return Verdict::refused(format!(
            "bad hash: the {} receipt's HMAC over {covered} (each prefixed with its length in UTF-8 bytes) does not match",
            algo.name()
        ));
    }
    let mut text = "accepted".to_owned();
    for warning in warnings {
        text.push_str("; warning: ");
        text.push_str(warning);
    }
    Verdict { accepted: true, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretKey {
        SecretKey::new("AABBCCDDEEFF")
    }

    fn ipn() -> Vec<(String, String)> {
        [("IPN_PID[]", "1"), ("IPN_PNAME[]", "Software program"), ("IPN_DATE", "20050303123434")]
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn reproduces_the_vendors_receipts() {
        // round3-vendor-facts.md §1.5 and §2.
        let date = "20050303123434";
        assert_eq!(
            expected_receipt(&key(), NotificationKind::Ipn, &ipn(), date, HashAlgorithm::Md5),
            "<EPAYMENT>20050303123434|7bf97ed39681027d0c45aa45e3ea98f0</EPAYMENT>"
        );
        assert!(
            expected_receipt(&key(), NotificationKind::Ipn, &ipn(), date, HashAlgorithm::Sha256)
                .contains(">ea6f44c39b3d204b59500998fcb9221c92744d9721a94b45fc6d5cda99980176</sig>")
        );
        assert!(
            expected_receipt(&key(), NotificationKind::Ipn, &ipn(), date, HashAlgorithm::Sha3_256)
                .contains(">85180497aaaa4844a278b52b1ce257d2820dbf5857470a5f678fef2266d0d4a8</sig>")
        );
        let lcn: Vec<(String, String)> = [("LICENSE_CODE", "3C343D0FAF"), ("EXPIRATION_DATE", "2005-03-03")]
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        let lcn_date = "20081117145935";
        assert_eq!(
            expected_receipt(&key(), NotificationKind::Lcn, &lcn, lcn_date, HashAlgorithm::Md5),
            "<EPAYMENT>20081117145935|cb34fe2991668eb82364edf62f845a34</EPAYMENT>"
        );
        assert!(
            expected_receipt(&key(), NotificationKind::Lcn, &lcn, lcn_date, HashAlgorithm::Sha256)
                .contains(">cdd64ce75e6cf013a60291229c83063a5d903eae3bfa216e99aae8af65a055e8</sig>")
        );
        assert!(
            expected_receipt(&key(), NotificationKind::Lcn, &lcn, lcn_date, HashAlgorithm::Sha3_256)
                .contains(">7fc19d21103ea56f1b413315fb3feb5fbdd137758623a73c7ed12d9bb84f21db</sig>")
        );
    }

    #[test]
    fn judges_answers() {
        let fields = ipn();
        let good =
            expected_receipt(&key(), NotificationKind::Ipn, &fields, "20261205101010", HashAlgorithm::Sha256);
        assert!(verdict(&key(), NotificationKind::Ipn, &fields, &format!("<html>{good}</html>")).accepted);
        assert!(
            verdict(
                &key(),
                NotificationKind::Ipn,
                &fields,
                &good
                    .to_uppercase()
                    .replace("<SIG ALGO", "<sig algo")
                    .replace("DATE=", "date=")
                    .replace("</SIG>", "</sig>")
                    .replace("SHA256", "sha256")
            )
            .accepted
        );
        let python = expected_receipt(
            &key(),
            NotificationKind::Ipn,
            &fields,
            "20261205101010",
            HashAlgorithm::Sha3_256,
        )
        .replace("sha3-256", "sha3_256");
        let judged = verdict(&key(), NotificationKind::Ipn, &fields, &python);
        assert!(judged.accepted && judged.text.contains("warning"), "{judged:?}");
        assert!(verdict(&key(), NotificationKind::Ipn, &fields, "OK").text.starts_with("no read receipt"));
        let bad = good.replace(&good[good.len() - 12..good.len() - 6], "000000");
        assert!(verdict(&key(), NotificationKind::Ipn, &fields, &bad).text.starts_with("bad hash"));
        assert!(
            verdict(
                &key(),
                NotificationKind::Ipn,
                &fields,
                "<sig algo=\"sha1\" date=\"20261205101010\">ab</sig>"
            )
            .text
            .starts_with("wrong algorithm")
        );
        assert!(
            verdict(&key(), NotificationKind::Ipn, &fields, "<EPAYMENT>2026-12-05 10:10:10|ab</EPAYMENT>")
                .text
                .starts_with("wrong date format")
        );
    }
}
