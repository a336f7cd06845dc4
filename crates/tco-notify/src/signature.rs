//! The vendor's notification signature: every value in the order sent, each prefixed with its
//! length in UTF-8 bytes, concatenated and HMAC'd with the merchant's secret key — MD5 for
//! `HASH`, SHA-256 and SHA3-256 for the two `SIGNATURE_*` fields.

use tco_core::{HashAlgorithm, SecretKey, hmac_hex};

/// The fields that carry the signatures, never themselves signed.
pub const SIGNATURE_FIELDS: [(&str, HashAlgorithm); 3] = [
    ("HASH", HashAlgorithm::Md5),
    ("SIGNATURE_SHA2_256", HashAlgorithm::Sha256),
    ("SIGNATURE_SHA3_256", HashAlgorithm::Sha3_256),
];

pub use tco_core::length_prefixed as serialize;

/// The signatures of `fields` (all but the signature fields, in order).
pub fn signatures(secret: &SecretKey, fields: &[(String, String)]) -> Vec<(String, String)> {
    let source = serialize(
        fields
            .iter()
            .filter(|(name, _)| SIGNATURE_FIELDS.iter().all(|(signature, _)| signature != name))
            .map(|(_, value)| value.as_str()),
    );
    SIGNATURE_FIELDS
        .iter()
        .map(|(name, algo)| ((*name).to_owned(), hmac_hex(secret, &source, *algo)))
        .collect()
}

/// `fields` followed by their signatures.
pub fn signed(secret: &SecretKey, mut fields: Vec<(String, String)>) -> Vec<(String, String)> {
    let signatures = signatures(secret, &fields);
    fields.extend(signatures);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
        fields.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn reproduces_the_vendors_ipn_example() {
        // round3-vendor-facts.md §1.4: the vendor's example values, the PHP sample's key.
        let fields = pairs(&[
            ("SALEDATE", "2016-06-01 12:22:09"),
            ("REFNO", "1000037"),
            ("REFNOEXT", ""),
            ("ORDERNO", "13"),
            ("ORDERSTATUS", "COMPLETE"),
            ("PAYMETHOD", "Wire transfer"),
            ("FIRSTNAME", "John"),
            ("LASTNAME", "Smith"),
            ("IPN_PID[]", "1"),
            ("IPN_PNAME[]", "Software program"),
            ("IPN_DATE", "20050303123434"),
        ]);
        let source = serialize(fields.iter().map(|(_, value)| value.as_str()));
        assert_eq!(
            source,
            "192016-06-01 12:22:097100003702138COMPLETE13Wire transfer4John5Smith1116Software program1420050303123434"
        );
        let signed = signed(&SecretKey::new("AABBCCDDEEFF"), fields);
        let value =
            |name: &str| signed.iter().find(|(field, _)| field == name).map(|(_, value)| value.as_str());
        assert_eq!(value("HASH"), Some("810af3a5aac3dd58e126e6a54f4967c3"));
        assert_eq!(
            value("SIGNATURE_SHA2_256"),
            Some("01ee2f229ccb9562916d6d63b67e73b018f252bec8f5e9d31a114152a679b62b")
        );
        assert_eq!(
            value("SIGNATURE_SHA3_256"),
            Some("52f55b8dd99aa5c641b6d1e9a364134ffbd531f35d8841b6fbe8f4461b8f84a7")
        );
    }

    #[test]
    fn counts_bytes_not_characters() {
        assert_eq!(serialize(["Zürich", "", "0"]), "7Zürich010");
    }
}
