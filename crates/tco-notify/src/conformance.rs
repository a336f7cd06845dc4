//! The listener edge cases a trigger can send besides the message itself — what listeners get
//! wrong: names whose UTF-8 byte length differs from their character count (the Python SDK's
//! helper counts characters), empty values beside `"0"`, several order lines, the same message
//! twice. Each is signed like any message; the delivery list shows how the listener answered.

use tco_core::{Message, NotificationKind};

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    for (field, old) in fields.iter_mut() {
        if field == name {
            *old = value.to_owned();
            break;
        }
    }
}

pub(crate) fn cases(kind: NotificationKind, fields: &[(String, String)]) -> Vec<Message> {
    let mut cases = Vec::new();
    let mut utf8 = fields.to_vec();
    let mut blanks = fields.to_vec();
    match kind {
        NotificationKind::Ipn => {
            set(&mut utf8, "FIRSTNAME", "Zoë");
            set(&mut utf8, "LASTNAME", "Ångström-Müller");
            set(&mut utf8, "CITY", "Zürich");
            // The first product's name is in the receipt's hash too.
            set(&mut utf8, "IPN_PNAME[]", "Prödüct — Ünïcode ✓");
            set(&mut blanks, "REFNOEXT", "");
            set(&mut blanks, "SHOPPER_REFERENCE_NUMBER", "0");
            set(&mut blanks, "COMPANY", "");
            set(&mut blanks, "FAX", "0");
            // Each `NAME[]` group (they are contiguous) gets two more lines, copies of its first.
            let mut lines: Vec<(String, String)> = Vec::new();
            for (index, (name, value)) in fields.iter().enumerate() {
                lines.push((name.clone(), value.clone()));
                let group_ends = fields.get(index + 1).is_none_or(|(next, _)| next != name);
                if name.ends_with("[]") && group_ends {
                    let first = fields
                        .iter()
                        .find(|(other, _)| other == name)
                        .map_or("", |(_, first)| first.as_str());
                    for copy in 2..=3 {
                        let value = match name.as_str() {
                            "IPN_PNAME[]" => format!("{first} (copy {copy})"),
                            _ => first.to_owned(),
                        };
                        lines.push((name.clone(), value));
                    }
                }
            }
            cases.push(Message { case: Some("several lines".into()), fields: lines });
        }
        NotificationKind::Renewal | NotificationKind::Ins => {}
        NotificationKind::Lcn => {
            set(&mut utf8, "FIRST_NAME", "Zoë");
            set(&mut utf8, "LAST_NAME", "Ångström-Müller");
            set(&mut utf8, "CITY", "Zürich");
            set(&mut utf8, "COMPANY", "Société Générale");
            set(&mut blanks, "PHONE", "");
            set(&mut blanks, "FAX", "0");
            set(&mut blanks, "EXTERNAL_CUSTOMER_REFERENCE", "");
        }
    }
    cases.push(Message { case: Some("utf-8 names".into()), fields: utf8 });
    cases.push(Message { case: Some("empty values and \"0\"".into()), fields: blanks });
    cases.push(Message { case: Some("duplicate".into()), fields: fields.to_vec() });
    cases
}
