//! Code lists the validation needs, kept sorted so lookups are binary searches, and what the
//! wire formats say of a country besides its code.

/// ISO 3166-1 alpha-2: the 249 officially assigned codes, lowercase.
pub(crate) const COUNTRY_CODES: [&str; 249] = [
    "ad", "ae", "af", "ag", "ai", "al", "am", "ao", "aq", "ar", "as", "at", "au", "aw", "ax", "az", "ba",
    "bb", "bd", "be", "bf", "bg", "bh", "bi", "bj", "bl", "bm", "bn", "bo", "bq", "br", "bs", "bt", "bv",
    "bw", "by", "bz", "ca", "cc", "cd", "cf", "cg", "ch", "ci", "ck", "cl", "cm", "cn", "co", "cr", "cu",
    "cv", "cw", "cx", "cy", "cz", "de", "dj", "dk", "dm", "do", "dz", "ec", "ee", "eg", "eh", "er", "es",
    "et", "fi", "fj", "fk", "fm", "fo", "fr", "ga", "gb", "gd", "ge", "gf", "gg", "gh", "gi", "gl", "gm",
    "gn", "gp", "gq", "gr", "gs", "gt", "gu", "gw", "gy", "hk", "hm", "hn", "hr", "ht", "hu", "id", "ie",
    "il", "im", "in", "io", "iq", "ir", "is", "it", "je", "jm", "jo", "jp", "ke", "kg", "kh", "ki", "km",
    "kn", "kp", "kr", "kw", "ky", "kz", "la", "lb", "lc", "li", "lk", "lr", "ls", "lt", "lu", "lv", "ly",
    "ma", "mc", "md", "me", "mf", "mg", "mh", "mk", "ml", "mm", "mn", "mo", "mp", "mq", "mr", "ms", "mt",
    "mu", "mv", "mw", "mx", "my", "mz", "na", "nc", "ne", "nf", "ng", "ni", "nl", "no", "np", "nr", "nu",
    "nz", "om", "pa", "pe", "pf", "pg", "ph", "pk", "pl", "pm", "pn", "pr", "ps", "pt", "pw", "py", "qa",
    "re", "ro", "rs", "ru", "rw", "sa", "sb", "sc", "sd", "se", "sg", "sh", "si", "sj", "sk", "sl", "sm",
    "sn", "so", "sr", "ss", "st", "sv", "sx", "sy", "sz", "tc", "td", "tf", "tg", "th", "tj", "tk", "tl",
    "tm", "tn", "to", "tr", "tt", "tv", "tw", "tz", "ua", "ug", "um", "us", "uy", "uz", "va", "vc", "ve",
    "vg", "vi", "vn", "vu", "wf", "ws", "ye", "yt", "za", "zm", "zw",
];

/// ISO 639-1: the two-letter language codes (including the withdrawn `bh`, which older
/// clients still send), lowercase.
pub(crate) const LANGUAGE_CODES: [&str; 184] = [
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv",
    "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd",
    "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig",
    "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko",
    "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh",
    "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr",
    "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru",
    "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su",
    "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug",
    "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

pub(crate) fn is_country_code(lowercase: &str) -> bool {
    COUNTRY_CODES.binary_search(&lowercase).is_ok()
}

pub(crate) fn is_language_code(lowercase: &str) -> bool {
    LANGUAGE_CODES.binary_search(&lowercase).is_ok()
}

/// A country's ISO 3166-1 alpha-3 code (`USA`) from its alpha-2 code in any case (the legacy API's
/// and INS's countries); the code upper-cased when it names no country.
pub fn country_alpha3(code: &str) -> String {
    isocountry::CountryCode::for_alpha2_caseless(code)
        .map(|country| country.alpha3().to_owned())
        .unwrap_or_else(|_| code.to_ascii_uppercase())
}

/// A country's English name (`United States of America`), if its alpha-2 code, in any case,
/// names one.
pub fn country_name(code: &str) -> Option<&'static str> {
    isocountry::CountryCode::for_alpha2_caseless(code).ok().map(|country| country.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_unique() {
        assert!(COUNTRY_CODES.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(LANGUAGE_CODES.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn lookups() {
        assert!(is_country_code("us") && is_country_code("ro") && is_country_code("ax"));
        assert!(!is_country_code("uk") && !is_country_code("xx") && !is_country_code("US"));
        assert!(is_language_code("en") && is_language_code("ro"));
        assert!(!is_language_code("xx") && !is_language_code("eng"));
    }

    #[test]
    fn countries_in_three_letters_and_by_name() {
        assert_eq!(country_alpha3("us"), "USA");
        assert_eq!(country_alpha3("De"), "DEU");
        assert_eq!(country_alpha3("zz"), "ZZ");
        assert_eq!(country_name("ro"), Some("Romania"));
        assert_eq!(country_name(""), None);
    }
}
